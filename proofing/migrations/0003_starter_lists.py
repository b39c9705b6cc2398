"""Load the starter lists shipped in proofing/starter/ (docs/proofing.md), so
that a fresh database checks articles from the start. Entries a newsroom has
already made are kept; the starter list only adds what is missing."""

from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parent.parent / "starter"


def load_starter(apps, schema_editor):
    from proofing import lists

    SensitiveWord = apps.get_model("proofing", "SensitiveWord")
    CommonMistake = apps.get_model("proofing", "CommonMistake")
    words = set(SensitiveWord.objects.values_list("word", flat=True))
    mistakes = set(CommonMistake.objects.values_list("wrong", flat=True))
    for path in sorted(STARTER.glob("*.txt")):
        parsed = lists.parse(lists.decode(path.read_bytes()))
        # Only new entries: a newsroom's own settings for a word win over the starter list's.
        parsed.words = [line for line in parsed.words if line.word not in words]
        parsed.mistakes = [line for line in parsed.mistakes if line.wrong not in mistakes]
        lists.load(parsed, word_model=SensitiveWord, mistake_model=CommonMistake)


class Migration(migrations.Migration):
    dependencies = [("proofing", "0002_roles")]

    operations = [migrations.RunPython(load_starter, migrations.RunPython.noop)]
