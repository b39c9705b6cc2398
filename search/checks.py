"""haystack's settings that Newsroom's search honours, and those it refuses.

haystack documents many settings; a few would change nothing here or break
every search (``INCLUDE_SPELLING`` did: the Whoosh backend has no spelling
dictionary for Chinese text). Rather than ignore them, ``manage.py check``
(and so ``runserver``, ``migrate`` and every management command) stops with
a message naming the setting. What works:

- ``HAYSTACK_SEARCH_RESULTS_PER_PAGE``: hits per page on /search/ (1–100).
- ``HAYSTACK_ITERATOR_LOAD_PER_QUERY``: haystack's own batch size (≥ 1).
- ``HAYSTACK_LIMIT_TO_REGISTERED_MODELS``: either value (only articles are
  indexed; ``True`` costs Whoosh a second pass per search).
- ``HAYSTACK_DEFAULT_OPERATOR = "AND"`` (the default): every term must occur.

Everything else listed in ``REFUSED`` and ``FIXED`` is refused.
"""

from django.conf import settings
from django.core.checks import Error, register

WHOOSH_ENGINE = "search.backend.ChineseWhooshEngine"

# Settings that must not be set at all: (name, why), the reason in Chinese.
REFUSED = {
    "HAYSTACK_CUSTOM_HIGHLIGHTER": "搜索结果的高亮由 search/highlight.py 完成，不使用 haystack 的高亮器",
    "HAYSTACK_FUZZY_MIN_SIM": "本站搜索不做模糊匹配：每个词都须原样出现",
    "HAYSTACK_FUZZY_MAX_EXPANSIONS": "本站搜索不做模糊匹配：每个词都须原样出现",
    "HAYSTACK_FUZZY_WHOOSH_MIN_PREFIX": "本站搜索不做模糊匹配：每个词都须原样出现",
    "HAYSTACK_FUZZY_WHOOSH_MAX_EDITS": "本站搜索不做模糊匹配：每个词都须原样出现",
    "HAYSTACK_FUZZINESS": "本站搜索不做模糊匹配：每个词都须原样出现",
}

# Settings that may only keep haystack's default: (name, default).
FIXED = {
    "HAYSTACK_DEFAULT_OPERATOR": "AND",
    "HAYSTACK_DOCUMENT_FIELD": "text",
    "HAYSTACK_ID_FIELD": "id",
    "HAYSTACK_DJANGO_CT_FIELD": "django_ct",
    "HAYSTACK_DJANGO_ID_FIELD": "django_id",
    "HAYSTACK_IDENTIFIER_METHOD": "haystack.utils.default_get_identifier",
    "HAYSTACK_ROUTERS": ["haystack.routers.DefaultRouter"],
}
_FIXED_WHY = {
    "HAYSTACK_DEFAULT_OPERATOR": "搜索要求每个词都出现，日期和栏目筛选也依赖“与”",
    "HAYSTACK_ROUTERS": "本站只有一个搜索连接（SEARCH_URL）",
}
_FIELD_WHY = "索引字段名写在 Solr 配置、索引指纹和 search/results.py 中，改名后搜索会失效"

# Settings with a numeric range: (name, lowest, highest or None).
RANGES = {
    "HAYSTACK_SEARCH_RESULTS_PER_PAGE": (1, 100),
    "HAYSTACK_ITERATOR_LOAD_PER_QUERY": (1, None),
}


def _error(setting: str, message: str, number: int) -> Error:
    return Error(
        f"{setting}：{message}。",
        hint=f"请在 settings 中删除或改正 {setting}（docs/search.md）。",
        id=f"search.E{number:03d}",
    )


@register()
def check_haystack_settings(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for alias, connection in getattr(settings, "HAYSTACK_CONNECTIONS", {}).items():
        name = f"HAYSTACK_CONNECTIONS['{alias}']"
        if connection.get("INCLUDE_SPELLING"):
            errors.append(
                _error(f"{name}['INCLUDE_SPELLING']", "本站搜索不提供拼写建议（中文没有拼写可纠正），请删去此项", 1)
            )
        if connection.get("ENGINE") == WHOOSH_ENGINE and connection.get("STORAGE", "file") != "file":
            errors.append(_error(f"{name}['STORAGE']", '嵌入式索引只能存放在磁盘上（多个进程共用），只接受 "file"', 2))
    for setting, why in REFUSED.items():
        if hasattr(settings, setting):
            errors.append(_error(setting, f"不支持此设置：{why}", 3))
    for setting, default in FIXED.items():
        if hasattr(settings, setting) and getattr(settings, setting) != default:
            why = _FIXED_WHY.get(setting, _FIELD_WHY)
            errors.append(_error(setting, f"只能是 {default!r}（{why}）", 4))
    for setting, (low, high) in RANGES.items():
        if hasattr(settings, setting):
            value = getattr(settings, setting)
            ok = (
                isinstance(value, int)
                and not isinstance(value, bool)
                and value >= low
                and (high is None or value <= high)
            )
            if not ok:
                span = f"{low} 到 {high}" if high else f"不小于 {low}"
                errors.append(_error(setting, f"须是{span}的整数，现在是 {value!r}", 5))
    value = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", False)
    if not isinstance(value, bool):
        errors.append(_error("HAYSTACK_LIMIT_TO_REGISTERED_MODELS", f"须是 True 或 False，现在是 {value!r}", 5))
    return errors
