"""Readers' queries compiled to SQL once per process, then run with new values.

Django builds and compiles a queryset's SQL on every request: for a public
page's queries that costs ten times what the database does with them (one
article with its series, special issue and cover: 3.2 ms through the ORM on
the benchmark machine, 0.26 ms from SQL compiled once; docs/benchmarks.md).
A ``PreparedRead`` keeps the ORM as the one place a query is stated (the
rules such as ``published()`` included) and only skips the repeated work::

    article_by_slug = PreparedRead(
        lambda now, slug: Article.objects.published(now=now).filter(slug=slug),
        now=datetime, slug=str,
    )
    article_by_slug(now=timezone.now(), slug="...")   # a list of Article

On first use (per database alias, and per length of each list argument) the
builder runs twice with two sets of sample values; the compiled SQL must come
out the same, and the parameters that differ must be exactly the arguments,
adapted as Django adapts them. Anything else (an argument the SQL does not
carry as a plain parameter, such as ``title__contains=word``, or a statement
whose text depends on the values) is refused with ``ImproperlyConfigured``
at that first use, so a builder that cannot be prepared fails in tests rather
than reading with stale values. Every later call binds the arguments afresh
into the kept SQL: a time passed as ``now`` is the caller's, every time.

Rows come back as the queryset would give them: model instances (with
``select_related``, ``only``/``defer`` and annotations), or tuples and
single values from ``values_list()``. ``prefetch_related`` is left to
``attach()``, with a prepared read for the related rows.
"""

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, models, router
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable, get_related_populators

# The kinds of argument a prepared read takes, each with two sample values
# (the k-th argument of a kind gets the k-th variant) and the field that
# adapts a value for the database as the ORM does in a lookup.
_KINDS: dict[type, tuple[Callable[[int], Any], Callable[[int], Any], models.Field]] = {
    dt.datetime: (
        lambda k: dt.datetime(2003, 3, 3, 3, 3, 3, 30303 + k, tzinfo=dt.UTC),
        lambda k: dt.datetime(2004, 4, 4, 4, 4, 4, 40404 + k, tzinfo=dt.UTC),
        models.DateTimeField(),
    ),
    str: (lambda k: f"\u2060prepared-a-{k}", lambda k: f"\u2060prepared-b-{k}", models.TextField()),
    int: (lambda k: 700_000_001 + k, lambda k: 800_000_001 + k, models.BigIntegerField()),
}
_LIST_SAMPLE_OFFSET = 1_000  # list members' samples, clear of the scalars'


@dataclass(frozen=True)
class _Slot:
    """Where an argument (or one member of a list argument) goes in the parameters."""

    position: int
    name: str
    index: int | None  # the member of a list argument, None for a scalar
    field: models.Field  # adapts the value as the ORM would (_KINDS)


@dataclass
class _Plan:
    """A builder's statement on one database, for one shape of its arguments."""

    sql: str | None  # None: the statement can find nothing (an empty IN list)
    params: list
    slots: list[_Slot]
    rows: Callable[[list], list]


class PreparedRead:
    """A read stated as a queryset builder, compiled once, run many times.

    ``arguments`` name each argument the builder takes and its type:
    ``datetime``, ``str``, ``int``, or ``list[int]`` (its length is part of
    the statement's shape: one compiled statement per length met).

    ``sliced``: each call also takes ``start`` and ``stop`` (a page of the
    rows, as ``queryset[start:stop]``), bound as parameters of the statement's
    ``LIMIT … OFFSET …``: Django writes a slice into the SQL's text, which
    would make each page a statement of its own."""

    def __init__(self, build: Callable[..., models.QuerySet], *, sliced: bool = False, **arguments: Any):
        self.build = build
        self.sliced = sliced
        self.arguments = arguments
        self._plans: dict[tuple, _Plan] = {}
        self._model_class: type[models.Model] | None = None
        self._lock = threading.Lock()
        for name, kind in arguments.items():
            if _kind_of(kind) not in _KINDS:
                raise ImproperlyConfigured(f"PreparedRead: argument {name!r} has a type it cannot bind ({kind!r}).")

    def __call__(self, **values: Any) -> list:
        window = []
        if self.sliced and "start" in values and "stop" in values:
            window = [values.pop("stop") - values["start"], values.pop("start")]
        if values.keys() != self.arguments.keys() or self.sliced and not window:
            expected = [*self.arguments, *(["start", "stop"] if self.sliced else [])]
            raise TypeError(f"PreparedRead takes {sorted(expected)}, got {sorted(values)}")
        shape = tuple(len(values[name]) if _is_list(kind) else None for name, kind in self.arguments.items())
        model = self._model_class or self.build(**values).model
        self._model_class = model
        alias = router.db_for_read(model)
        plan = self._plans.get((alias, shape))
        if plan is None:
            with self._lock:
                plan = self._plans.get((alias, shape)) or self._compile(alias, values)
                self._plans[(alias, shape)] = plan
        if plan.sql is None:
            return []
        connection = connections[alias]
        params = list(plan.params)
        adapted: dict[tuple, Any] = {}  # an argument in several places (a time, often) adapted once
        for slot in plan.slots:
            key = (slot.name, slot.index)
            if key not in adapted:
                value = values[slot.name] if slot.index is None else values[slot.name][slot.index]
                adapted[key] = slot.field.get_db_prep_value(value, connection, prepared=False)
            params[slot.position] = adapted[key]
        with connection.cursor() as cursor:
            cursor.execute(f"{plan.sql} LIMIT %s OFFSET %s" if window else plan.sql, params + window)
            return plan.rows(cursor.fetchall())

    def _samples(self, variant: int, values: dict) -> dict:
        """Sample values for every argument, lists as long as in ``values``."""
        samples, counters = {}, {}
        for number, (name, kind) in enumerate(self.arguments.items()):
            make = _KINDS[_kind_of(kind)][variant]
            if _is_list(kind):
                first = _LIST_SAMPLE_OFFSET * (number + 1)
                samples[name] = [make(first + i) for i in range(len(values[name]))]
            else:
                k = counters[_kind_of(kind)] = counters.get(_kind_of(kind), -1) + 1
                samples[name] = make(k)
        return samples

    def _compile(self, alias: str, values: dict) -> _Plan:
        connection = connections[alias]
        compiled = []
        for variant in (0, 1):
            samples = self._samples(variant, values)
            queryset = self.build(**samples)
            compiler = queryset.query.get_compiler(using=alias)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # e.g. ``pk__in=[]``: nothing, as the ORM answers, without a query
                return _Plan(sql=None, params=[], slots=[], rows=list)
            compiled.append((samples, queryset, compiler, sql, list(params)))
        (samples_a, queryset, compiler, sql, params_a), (samples_b, _, _, sql_b, params_b) = compiled
        if sql != sql_b or len(params_a) != len(params_b):
            raise ImproperlyConfigured(
                f"PreparedRead: the statement's text depends on the values; cannot prepare {sql!r}"
            )
        fields = {name: _KINDS[_kind_of(kind)][2] for name, kind in self.arguments.items()}
        expected = {}  # (name, index) -> the adapted sample, in both variants
        for name, kind in self.arguments.items():
            adapt = fields[name].get_db_prep_value
            members = range(len(samples_a[name])) if _is_list(kind) else [None]
            for i in members:
                a = samples_a[name] if i is None else samples_a[name][i]
                b = samples_b[name] if i is None else samples_b[name][i]
                expected[name, i] = (adapt(a, connection, prepared=False), adapt(b, connection, prepared=False))
        slots, found = [], set()
        for position, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
            if a == b:
                continue
            match = [key for key, pair in expected.items() if pair == (a, b)]
            if len(match) != 1:
                raise ImproperlyConfigured(
                    f"PreparedRead: parameter {position} ({a!r}) is no argument as given; cannot prepare {sql!r}"
                )
            name, index = match[0]
            slots.append(_Slot(position, name, index, field=fields[name]))
            found.add(match[0])
        missing = sorted(str(name) for name, _ in expected.keys() - found)
        if missing:
            raise ImproperlyConfigured(f"PreparedRead: {', '.join(missing)} not found as a parameter of {sql!r}")
        if self.sliced and queryset.query.is_sliced:
            raise ImproperlyConfigured("PreparedRead: a sliced read's builder must not slice; the call does.")
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured(
                "PreparedRead: prefetch_related is not prepared; use attach() with a prepared read."
            )
        return _Plan(sql=sql, params=params_a, slots=slots, rows=_row_maker(queryset, compiler, alias))


def attach(instances: Iterable[models.Model], name: str, related: Iterable[models.Model]) -> None:
    """Give each instance its rows of the reverse foreign key ``name`` as
    ``prefetch_related(name)`` would: ``instance.<name>.all()`` then costs no
    query, and each row knows its instance. ``related`` are the rows for all
    the instances (from a prepared read), in the order wanted."""
    instances = list(instances)
    if not instances:
        return
    field = getattr(type(instances[0]), name).field  # the foreign key on the related model
    by_owner: dict[Any, list] = {}
    for row in related:
        by_owner.setdefault(getattr(row, field.attname), []).append(row)
    for instance in instances:
        rows = by_owner.get(instance.pk, [])
        for row in rows:
            field.set_cached_value(row, instance)
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[field.remote_field.cache_name] = queryset


def _row_maker(queryset: models.QuerySet, compiler, alias: str) -> Callable[[list], list]:
    """What the queryset's own iterable makes of a row, with the conversions
    and related-object population worked out once."""
    select = compiler.select[: compiler.col_count]
    converters = compiler.get_converters([s[0] for s in select])

    def converted(rows):
        rows = [row[: compiler.col_count] for row in rows]
        return [tuple(row) for row in compiler.apply_converters(rows, converters)] if converters else rows

    iterable = queryset._iterable_class
    if iterable is ModelIterable:
        if queryset._known_related_objects:
            raise ImproperlyConfigured("PreparedRead: a related manager's queryset is not prepared.")
        klass_info, annotations = compiler.klass_info, compiler.annotation_col_map
        model = klass_info["model"]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [s[0].target.attname for s in select[first:last]]
        populators = get_related_populators(klass_info, select, alias)

        def instances(rows):
            made = []
            for row in converted(rows):
                obj = model.from_db(alias, attnames, row[first:last])
                for populator in populators:
                    populator.populate(row, obj)
                for attr, column in (annotations or {}).items():
                    setattr(obj, attr, row[column])
                made.append(obj)
            return made

        return instances
    query = queryset.query
    # The columns in the order values_list() names them (its iterable reorders otherwise).
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
    if queryset._fields and fields != names:
        raise ImproperlyConfigured("PreparedRead: values_list() naming annotations before fields is not prepared.")
    if iterable is FlatValuesListIterable:
        return lambda rows: [row[0] for row in converted(rows)]
    if iterable is ValuesListIterable:
        return lambda rows: [tuple(row) for row in converted(rows)]
    raise ImproperlyConfigured(f"PreparedRead: rows of {iterable.__name__} are not prepared.")


def _is_list(kind) -> bool:
    return getattr(kind, "__origin__", None) is list


def _kind_of(kind):
    return kind.__args__[0] if _is_list(kind) else kind
