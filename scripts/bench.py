"""`make bench`: timings of the foundation's heavy paths on a throwaway SQLite database.

Reports numbers only; nothing here asserts a time. Sizes: a municipality of 100 units with a full
party group each (1,000+ role assignments), a 1,000-row import file.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trepart.settings_test")

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

        # Staff input (P3): a busy unit with 1,000 inputs.
        from trepart.inputs import selectors as input_selectors
        from trepart.inputs import services as input_services
        from trepart.inputs.models import Input
        from trepart.inputs.similarity import stems_text

        unit = UnitFactory(municipality=municipality, name="Innspillsheim")
        leader = person_with_role(Role.UNIT_LEADER, unit)
        topics = [
            "langvakter i helgene og turnusen",
            "bemanning på tvers av avdelinger",
            "opplæring av nye vikarer",
            "løfteutstyr på badet",
            "støy på avdelingen og pauser",
            "smerteplaster og kompetanse for helsefagarbeidere",
        ]
        today = datetime.date.today()
        t0 = time.perf_counter()
        Input.objects.bulk_create(
            Input(
                municipality=municipality,
                unit=unit,
                text=f"Innspill {i}: vi må se på {topics[i % len(topics)]}, uke {i % 52}",
                stems=stems_text(f"vi må se på {topics[i % len(topics)]}"),
                submitted_on=today - datetime.timedelta(days=i % 200),
                status_changed_on=today,
            )
            for i in range(1000)
        )
        print(f"setup: 1,000 inputs in one unit: {time.perf_counter() - t0:.1f} s")
        item, _code = input_services.input_submit(
            unit=unit, text="Kan vi prøve langvakter i helg? Turnusen er tung."
        )
        timed("similar_inputs() against 1,000 inputs", lambda: input_selectors.similar_inputs(item))
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
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
