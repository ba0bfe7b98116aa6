"""Micro-benchmarks (formerly scripts/bench.py): timings of the foundation's heavy paths,
in-process on a throwaway database, and the similar-inputs matcher's quality.

    .venv/bin/python -m bench.micro                  # everything, printed
    .venv/bin/python -m bench.micro --similarity-json  # only the matcher's quality, as JSON

`make bench` (bench/run.py) runs the second form and puts the numbers in its report (issue 14
point 4).

Reports numbers only; nothing here asserts a time. Sizes: a municipality of 100 units with a full
party group each (1,000+ role assignments), a 1,000-row import file, a unit with 2,000 inputs.
It also reports the quality of the similar-inputs suggestions (precision, recall, F1) on the
labelled pairs in tests/inputs/similarity_pairs.py.

Set BENCH_DATABASE_URL=postgres://… to run everything on PostgreSQL instead (a throwaway test
database is created next to the one named); the output says which database was measured.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trepart.settings_test")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(label, fn, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{label:<55} median {statistics.median(samples):8.1f} ms   min {min(samples):8.1f} ms")


def main():
    if "--similarity-json" in sys.argv:
        return similarity_json()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import UnitFactory, complete_party_group, person_with_role
        from trepart.organisation import composition, importing
        from trepart.organisation.models import Municipality, Role

        municipality = Municipality.objects.create(name="Benchvik kommune")
        admin = person_with_role(Role.MUNICIPAL_ADMIN, municipality=municipality)
        t0 = time.perf_counter()
        for i in range(100):
            unit = UnitFactory(municipality=municipality, name=f"Enhet {i:03d}")
            complete_party_group(unit)
        print(f"setup: 100 units, full party groups: {time.perf_counter() - t0:.1f} s")

        timed(
            "composition_issues(), 100 units", lambda: composition.composition_issues(municipality)
        )
        client = Client()
        client.force_login(admin)
        for path in ["/", "/structure/", "/manage/", "/manage/people/"]:
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            timed(f"GET {path} ({len(ctx.captured_queries)} queries)", lambda p=path: client.get(p))

        header = "tjenesteområde;enhet;avdeling;navn;e-post;rolle;fagforening;side;fra;til\n"
        rows = "".join(
            f";Enhet {i % 100:03d};;Person {i};bench{i}@example.test;ansatt;;;01.01.2025;\n"
            for i in range(1000)
        )
        content = (header + rows).encode()
        timed(
            "import dry run, 1,000 rows",
            lambda: importing.import_dry_run(
                municipality=municipality, filename="b.csv", content=content
            ),
            repeat=3,
        )

        # Staff input (P3): a busy unit with 2,000 inputs, the labelled set's realistic texts
        # over and over (so many of them are similar to the one being read).
        from tests.inputs.similarity_pairs import FRESH, HELD_OUT, PAIRS
        from trepart.inputs import selectors as input_selectors
        from trepart.inputs import services as input_services
        from trepart.inputs.models import Input
        from trepart.inputs.similarity import stems_text

        unit = UnitFactory(municipality=municipality, name="Innspillsheim")
        leader = person_with_role(Role.UNIT_LEADER, unit)
        texts = [t for p in PAIRS + HELD_OUT + FRESH for t in (p.earlier, p.later)]
        today = datetime.date.today()
        t0 = time.perf_counter()
        Input.objects.bulk_create(
            Input(
                municipality=municipality,
                unit=unit,
                text=f"{texts[i % len(texts)]} ({i})",
                stems=stems_text(texts[i % len(texts)]),
                submitted_on=today - datetime.timedelta(days=1 + i % 700),
                status_changed_on=today,
            )
            for i in range(2000)
        )
        print(f"setup: 2,000 inputs in one unit: {time.perf_counter() - t0:.1f} s")
        item, _code = input_services.input_submit(
            unit=unit, text="Kan vi prøve langvakter i helg? Turnusen er tung."
        )
        found = input_selectors.similar_inputs(item, limit=None)
        print(f"similar_inputs() on {connection.vendor}: {len(found)} of 2,000 are similar")
        timed("similar_inputs() among 2,000 inputs", lambda: input_selectors.similar_inputs(item))
        client.force_login(leader)
        for path in [f"/inputs/unit/{unit.pk}/", f"/inputs/{item.pk}/", "/"]:
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            timed(f"GET {path} ({len(ctx.captured_queries)} queries)", lambda p=path: client.get(p))
        anonymous = Client()
        link = input_services.input_link_for(unit)
        timed(
            "POST anonymous input (rate limit + stemming)",
            lambda: anonymous.post(f"/i/{link.token}/", {"text": "Bedre rutiner for vikarer"}),
            repeat=5,
        )

        # Measures (P4): a unit with 300 measures in every stage.
        from trepart.measures.models import Measure, Stage

        stages = list(Stage.values)
        Measure.objects.bulk_create(
            Measure(
                municipality=municipality,
                unit=unit,
                title=f"Tiltak {i}",
                stage=stages[i % len(stages)],
                evaluation_on=today + datetime.timedelta(days=(i % 90) - 30),
            )
            for i in range(300)
        )
        for path in [f"/measures/unit/{unit.pk}/", "/measures/"]:
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            timed(f"GET {path} ({len(ctx.captured_queries)} queries)", lambda p=path: client.get(p))

        similarity_quality(municipality)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def similarity_quality(municipality):
    """Issue 10: precision, recall and F1 of the similar-inputs suggestions on the labelled
    pairs, through services.input_submit and selectors.similar_inputs on this database."""
    from tests.inputs.similarity_measure import load, measure
    from tests.inputs.similarity_pairs import FRESH, HELD_OUT, PAIRS

    print(f"\nsimilar inputs, labelled pairs, measured on {connection.vendor}:")
    sets = [
        ("tuned on (PAIRS)", PAIRS),
        ("held out, then used (HELD_OUT)", HELD_OUT),
        ("written last (FRESH)", FRESH),
    ]
    loaded = {name: load(municipality, pairs) for name, pairs in sets}
    for name, _pairs in sets:
        print(f"  {name:<32} {measure(loaded[name])}")
    everything = [row for rows in loaded.values() for row in rows]
    print(f"  {'all':<32} {measure(everything)}")


def similarity_json():
    """The matcher's precision and recall per labelled set and overall, as one JSON line on a
    throwaway database next to the configured one (issue 14 point 4)."""
    import json

    from tests.inputs.similarity_measure import load, measure
    from tests.inputs.similarity_pairs import FRESH, HELD_OUT, PAIRS
    from trepart.organisation.models import Municipality

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        municipality = Municipality.objects.create(name="Likhetsvik kommune")
        sets = [("tuned on", PAIRS), ("held out", HELD_OUT), ("written last", FRESH)]
        loaded = {name: load(municipality, pairs) for name, pairs in sets}
        loaded["all"] = [row for rows in loaded.values() for row in rows]
        out = {}
        for name, rows in loaded.items():
            r = measure(rows)
            out[name] = {
                "precision": r.precision,
                "recall": r.recall,
                "f1": r.f1,
                "tp": r.tp,
                "fp": r.fp,
                "fn": r.fn,
                "tn": r.tn,
            }
        print(json.dumps({"vendor": connection.vendor, "similarity": out}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
