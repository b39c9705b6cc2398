"""Load the starter lists (docs/proofing.md), so that a fresh database checks
articles from the start. Entries a newsroom has already made are kept; the
starter list only adds what is missing.

Self-contained: the entries are a frozen copy of proofing/starter/*.txt as
parsed by proofing/lists.py when this migration was written, so the migration
does the same thing however those files and that parser change later.
"""

from django.db import migrations

# (word, level, category, suggestion, note), from proofing/starter/sensitive.txt
WORDS = [
    ("北朝鲜", "block", "politics", "朝鲜", "国际报道中不使用“北朝鲜”，应称“朝鲜”。（新华社禁用词）"),
    ("台湾政府", "block", "politics", "台湾当局", "不使用“台湾政府”，应称“台湾当局”。（新华社禁用词）"),
    ("维族", "block", "usage", "维吾尔族", "民族名称不能随意简称。（新华社禁用词）"),
    ("蒙族", "block", "usage", "蒙古族", "民族名称不能随意简称。（新华社禁用词）"),
    ("残废人", "block", "usage", "残疾人", "对有身体伤疾的人士不使用蔑称。（新华社禁用词）"),
    ("蒙古大夫", "block", "usage", "庸医", "不使用含有民族名称的侮辱性说法。（新华社禁用词）"),
    ("药到病除", "block", "advertising", "", "医药报道中不得使用。（新华社禁用词）"),
    ("无效退款", "block", "advertising", "", "医药报道中不得使用。（新华社禁用词）"),
    ("国家级新药", "block", "advertising", "", "医药报道中不得使用。（新华社禁用词）"),
    ("安全无副作用", "block", "advertising", "", "医药报道中不得使用。（新华社禁用词）"),
    ("中华民国", "warn", "politics", "", "对 1949 年以后的台湾地区不得称“中华民国”；叙述历史时可以使用。"),
    (
        "中港",
        "warn",
        "politics",
        "内地与香港",
        "不得将香港、澳门与中国并列提及，如“中港”“中澳”。（新华社禁用词）注意“中港城”等专名。",
    ),
    ("中澳", "warn", "politics", "内地与澳门", "指内地与澳门时不说“中澳”；“中澳”指中国与澳大利亚时无误。"),
    (
        "国家级",
        "warn",
        "advertising",
        "",
        "《广告法》禁用语；用于产品、商品时不用，“国家级非遗”“国家级开发区”等正式名称无误。",
    ),
    ("世界级", "warn", "advertising", "", "《广告法》禁用语；报道产品、商品时慎用。"),
    ("最高级", "warn", "advertising", "", "《广告法》禁用语；报道产品、商品时慎用。"),
    (
        "最佳",
        "warn",
        "advertising",
        "",
        "报道事实特别是产品、商品时不使用“最佳”“最好”“最著名”等评价色彩强烈的词。（新华社禁用词）",
    ),
    ("最著名", "warn", "advertising", "", "同上。"),
    ("顶级", "warn", "advertising", "", "《广告法》禁用语；报道产品、商品时慎用。"),
    ("最先进", "warn", "advertising", "", "《广告法》禁用语；报道产品、商品时慎用。"),
    ("根治", "warn", "advertising", "", "医药报道中不得使用“根治”；“根治水患”等说法无误。（新华社禁用词）"),
    ("巨星", "warn", "usage", "著名演员", "对文艺界人士不使用“影帝”“影后”“巨星”“天王”等。（新华社禁用词）"),
    ("影帝", "warn", "usage", "著名演员", "同上。"),
    ("亲自", "warn", "usage", "", "报道各级领导同志的活动，不使用“亲自”等形容词。（新华社禁用词）"),
    ("犯人", "warn", "usage", "犯罪嫌疑人", "判决前称“犯罪嫌疑人”，不称“犯人”。（新华社禁用词）"),
    ("哇噻", "warn", "other", "", "新闻稿中不使用俚语、脏话、黑话。（新华社禁用词）"),
]
# (wrong, right, note), from proofing/starter/mistakes.txt
MISTAKES = [
    ("既使", "即使", "注意“既使用……又……”不是错字。"),
    ("按装", "安装", ""),
    ("再接再励", "再接再厉", ""),
    ("迫不急待", "迫不及待", ""),
    ("一股作气", "一鼓作气", ""),
    ("甘败下风", "甘拜下风", ""),
    ("默守成规", "墨守成规", ""),
    ("穿流不息", "川流不息", ""),
    ("变本加利", "变本加厉", ""),
    ("声名雀起", "声名鹊起", ""),
    ("世外桃园", "世外桃源", ""),
    ("谈笑风声", "谈笑风生", ""),
    ("一愁莫展", "一筹莫展", ""),
    ("走头无路", "走投无路", ""),
    ("针贬时弊", "针砭时弊", ""),
    ("金榜提名", "金榜题名", ""),
    ("哀声叹气", "唉声叹气", ""),
    ("名符其实", "名副其实", ""),
    ("一如继往", "一如既往", ""),
    ("原形必露", "原形毕露", ""),
    ("美仑美奂", "美轮美奂", ""),
    ("记忆尤新", "记忆犹新", ""),
    ("言简意骇", "言简意赅", ""),
    ("不径而走", "不胫而走", ""),
    ("出奇不意", "出其不意", ""),
    ("再所不惜", "在所不惜", ""),
    ("中流底柱", "中流砥柱", ""),
    ("黄梁美梦", "黄粱美梦", ""),
    ("融汇贯通", "融会贯通", ""),
    ("杀一敬百", "杀一儆百", ""),
    ("迫在眉捷", "迫在眉睫", ""),
    ("按步就班", "按部就班", ""),
    ("病入膏盲", "病入膏肓", ""),
    ("人才倍出", "人才辈出", ""),
    ("英雄倍出", "英雄辈出", ""),
    ("天翻地复", "天翻地覆", ""),
    ("震憾", "震撼", ""),
    ("寒喧", "寒暄", ""),
    ("脉博", "脉搏", ""),
    ("松驰", "松弛", ""),
    ("气慨", "气概", ""),
    ("渲泄", "宣泄", ""),
    ("布署", "部署", ""),
    ("急燥", "急躁", ""),
    ("装璜", "装潢", ""),
    ("精萃", "精粹", ""),
    ("峻工", "竣工", ""),
    ("发韧", "发轫", ""),
    ("全国人大代表大会", "全国人民代表大会", "或简称“全国人大”。"),
    (
        "二十届全国代表大会",
        "二十次全国代表大会",
        "党的全国代表大会称“次”，中央委员会称“届”：党的第二十次全国代表大会，二十届中央委员会。",
    ),
    ("全国政协委员会", "全国政协", "全称“中国人民政治协商会议全国委员会”，简称“全国政协”。"),
    ("国家发展改革委员会", "国家发展和改革委员会", "简称“国家发展改革委”。"),
    ("人力资源与社会保障", "人力资源和社会保障", "如“人力资源和社会保障部”“人力资源和社会保障局”。"),
    ("一路一带", "一带一路", ""),
    ("篷江", "蓬江", "江门市蓬江区。"),
]


def load_starter(apps, schema_editor):
    SensitiveWord = apps.get_model("proofing", "SensitiveWord")
    CommonMistake = apps.get_model("proofing", "CommonMistake")
    mistakes = set(CommonMistake.objects.values_list("wrong", flat=True))
    CommonMistake.objects.bulk_create(
        [CommonMistake(wrong=wrong, right=right, note=note) for wrong, right, note in MISTAKES if wrong not in mistakes]
    )
    words = set(SensitiveWord.objects.values_list("word", flat=True))
    SensitiveWord.objects.bulk_create(
        [
            SensitiveWord(word=word, level=level, category=category, suggestion=suggestion, note=note)
            for word, level, category, suggestion, note in WORDS
            if word not in words
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("proofing", "0002_roles")]

    operations = [migrations.RunPython(load_starter, migrations.RunPython.noop)]
