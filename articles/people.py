"""How the newsroom names a colleague (an account): 姓名.

One rule, used by every surface that shows a colleague (the admin header, the
article list, 签发记录, revisions, the presence banner, messages, the user and
group lists): family name first and no space when the name is written in
Chinese (or another East Asian script: ``has_east_asian_letter`` in
articles/chinese.py), "Given Family" for a Latin name, and the login only
when the account has no name at all.
"""

from articles.chinese import has_east_asian_letter


def full_name(first_name: str, last_name: str) -> str:
    """姓 and 名 as one name: 王 + 芳 → 王芳; Ada + Lovelace → "Ada Lovelace"."""
    given, family = first_name.strip(), last_name.strip()
    if has_east_asian_letter(given) or has_east_asian_letter(family):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)


def user_name(user) -> str:
    """How the newsroom calls a colleague: their 姓名, else their login."""
    return full_name(user.first_name or "", user.last_name or "") or user.get_username()
