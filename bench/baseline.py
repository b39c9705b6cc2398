"""The baseline the search benchmark compares against, measured in the same run:
haystack's stock Whoosh backend with jieba's ChineseAnalyzer, the setup the
Chinese Django world (DjangoBlog and friends) copies. Bench only."""

from haystack.backends import whoosh_backend as stock
from whoosh import fields


class JiebaWhooshSearchBackend(stock.WhooshSearchBackend):
    def build_schema(self, fields_):
        from jieba.analyse import ChineseAnalyzer

        content_field_name, schema = super().build_schema(fields_)
        for name, field in list(schema.items()):
            if isinstance(field, fields.TEXT):
                schema.remove(name)
                schema.add(name, fields.TEXT(stored=field.stored, analyzer=ChineseAnalyzer(), field_boost=1.0))
        return content_field_name, schema


class JiebaWhooshEngine(stock.WhooshEngine):
    backend = JiebaWhooshSearchBackend
