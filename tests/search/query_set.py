"""The search quality query set: 58 queries of every kind readers type.

The known answer for a query is every public article whose search text
(title, subtitle, body, authors, credits, series) contains each of its
terms literally, ignoring case and full/half width. The test runs them all
(tests/search/test_query_set.py); bench/search_speed.py times them.
"""

QUERIES = [
    # single characters
    ("鹤", "single character"),
    ("碉", "single character"),
    ("侨", "single character"),
    ("发", "single character, very common"),
    # place names, including inside longer words (江门 in 新江门, 侨乡 in 侨乡村)
    ("江门", "place"),
    ("新会", "place"),
    ("台山", "place"),
    ("开平", "place"),
    ("鹤山", "place"),
    ("恩平", "place"),
    ("蓬江", "place"),
    ("江海", "place"),
    ("大泽镇", "place"),
    ("四九镇", "place"),
    ("侨乡", "place inside a longer word"),
    ("侨乡村", "place"),
    ("新江门", "place"),
    ("赤坎古镇", "place"),
    ("小鸟天堂", "place"),
    ("银湖湾", "place"),
    ("古劳水乡", "place"),
    ("开平碉楼", "place"),
    # policy terms, and parts of them
    ("百千万工程", "policy term"),
    ("头号工程", "policy term"),
    ("城乡区域协调发展", "policy term"),
    ("高质量发展", "policy term"),
    ("乡村振兴", "policy term"),
    ("新质生产力", "policy term"),
    ("营商环境", "policy term"),
    ("制造业当家", "policy term"),
    ("绿美广东", "policy term"),
    ("典型村", "policy term"),
    ("粤港澳大湾区", "policy term"),
    ("千万工程", "part of a policy term"),
    ("协调发展", "part of a policy term"),
    # Latin letters and digits, mixed with Chinese
    ("GDP", "Latin"),
    ("gdp", "Latin, other case"),
    ("ＧＤＰ", "Latin, full width"),
    ("5G", "mixed"),
    ("5G基站", "mixed"),
    ("2024年", "mixed"),
    ("2023年", "mixed"),
    ("GDP增长", "mixed"),
    ("iPhone", "Latin"),
    ("PM2.5", "mixed, with punctuation"),
    # several terms: all must occur
    ("鹤山 百千万工程", "two terms"),
    ("台山 5G", "two terms"),
    ("江门 侨乡", "two terms"),
    # ordinary words outside the newsroom vocabulary
    ("陈皮", "word"),
    ("新会陈皮", "word"),
    ("华侨华人", "word"),
    ("海洋牧场", "word outside the newsroom vocabulary"),
    ("数字化", "word outside the newsroom vocabulary"),
    ("职业技术学校", "word outside the newsroom vocabulary"),
    ("发展", "common word"),
    ("经济", "common word"),
    # things that are not there
    ("火星基地", "absent"),
    ("侨乡碉楼", "absent as a phrase, present as parts"),
]
