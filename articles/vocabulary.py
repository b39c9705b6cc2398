"""The newsroom's words: byline and credit roles, and what an organisation's
name looks like. Shared by the seed parser, the models and the templates."""

# Byline roles written before the names they apply to: （记者 李明 通讯员 王芳）.
BYLINE_ROLES = frozenset(
    {
        "记者",
        "本报记者",
        "见习记者",
        "实习记者",
        "特约记者",
        "摄影记者",
        "首席记者",
        "通讯员",
        "特约通讯员",
        "实习生",
        "报道员",
        "文",
        "图",
        "文图",
        "摄影",
        "视频",
        "编译",
        "撰文",
        "统筹",
    }
)
# Byline roles written after the names: （记者 李明 摄）.
POSTFIX_BYLINE_ROLES = frozenset({"摄", "整理", "报道"})
# Byline roles the page prints with a slash, as the paper does: 文/赵可义　图/李华.
# The others read as a title before the name, with a space: 记者 李明.
SLASH_BYLINE_ROLES = frozenset({"文", "图", "文图", "撰文", "摄影", "视频", "编译"})
# Production credit roles (总策划：傅健 曹乃付). Any short label is accepted in
# credit position; these are also recognised at the end of an article that
# has no byline.
CREDIT_ROLES = frozenset(
    {
        "总策划",
        "策划",
        "统筹",
        "总统筹",
        "出品人",
        "出品",
        "总监制",
        "监制",
        "主编",
        "执行主编",
        "责任编辑",
        "编辑",
        "美术编辑",
        "美编",
        "校对",
        "摄影",
        "设计",
        "制图",
        "视觉",
        "视频",
        "文字",
        "审核",
        "审校",
        "排版",
    }
)

# Endings that make a credited name an organisation rather than a person
# (江门日报社, 新华社, 江门市委宣传部 …). Chinese personal names are two to four
# characters and do not end like this.
ORGANISATION_SUFFIXES = (
    "社",
    "报",
    "台",
    "局",
    "委",
    "部",
    "办",
    "厅",
    "院",
    "所",
    "馆",
    "站",
    "队",
    "会",
    "中心",
    "公司",
    "集团",
    "政府",
    "学校",
    "大学",
    "医院",
    "银行",
    "工作室",
    "传媒",
    "融媒",
)


def is_organisation_name(name: str) -> bool:
    return name.endswith(ORGANISATION_SUFFIXES)
