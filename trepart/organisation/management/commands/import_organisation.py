"""Import units, people and role assignments from CSV or Excel on the command line (P1).

    manage.py import_organisation <kommune (navn eller id)> <fil.csv|fil.xlsx> [--apply] [--as e-post]

Without --apply this is a dry run: every bad row is printed as "Rad N: årsak", followed by a
summary; nothing is written and the exit code is 1 if the file has errors. With --apply the same
checks run again and everything is written in one transaction, or nothing if any row is bad
(`trepart.organisation.importing.import_apply`). The import is recorded as done by a municipal
administrator of the municipality: the one given with --as, or else the first current one.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from trepart.accounts.models import User
from trepart.organisation import importing
from trepart.organisation.models import Municipality, Role, RoleAssignment
from trepart.organisation.permissions import can_import

MAX_FILE_SIZE = 5 * 1024 * 1024  # as for the upload form


class Command(BaseCommand):
    help = (
        "Importer enheter, personer og roller fra en CSV- eller Excel-fil. Uten --apply sjekkes "
        "filen bare (ingenting lagres); med --apply lagres alt, eller ingenting hvis en rad har feil."
    )

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="Kommunens navn eller id.")
        parser.add_argument("file", help="Filen som skal importeres (.csv eller .xlsx).")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Lagre importen. Uten dette er det en prøvekjøring som ikke lagrer noe.",
        )
        parser.add_argument(
            "--as",
            dest="actor_email",
            metavar="E-POST",
            help=(
                "E-postadressen til kommuneadministratoren som står som ansvarlig for importen. "
                "Standard: den første nåværende kommuneadministratoren i kommunen."
            ),
        )

    def handle(self, *args, **options):
        with translation.override("nb"):
            self._handle(**options)

    # --- arguments ------------------------------------------------------------------------------

    def _municipality(self, value: str) -> Municipality:
        value = value.strip()
        municipality = None
        if value.isdigit():
            municipality = Municipality.objects.filter(pk=int(value)).first()
        if municipality is None:
            municipality = Municipality.objects.filter(name__iexact=value).first()
        if municipality is None:
            # SQLite compares only ASCII letters case-insensitively ("ÅFJORD" vs "Åfjord").
            municipality = next(
                (m for m in Municipality.objects.all() if m.name.casefold() == value.casefold()),
                None,
            )
        if municipality is None:
            raise CommandError(f"Fant ingen kommune med navn eller id «{value}».")
        return municipality

    def _content(self, value: str) -> tuple[str, bytes]:
        path = Path(value)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"Filen må være .csv eller .xlsx: {value}")
        if not path.is_file():
            raise CommandError(f"Fant ikke filen: {value}")
        if path.stat().st_size > MAX_FILE_SIZE:
            raise CommandError(f"Filen er større enn 5 MB: {value}")
        return path.name, path.read_bytes()

    def _actor(self, municipality: Municipality, email: str | None) -> User:
        if email:
            actor = User.objects.filter(email__iexact=email.strip()).first()
            if actor is None:
                raise CommandError(f"Fant ingen person med e-postadressen {email}.")
            if not actor.is_active or not can_import(actor, municipality):
                raise CommandError(
                    f"{actor.email} er ikke kommuneadministrator i {municipality.name} "
                    "og kan ikke importere."
                )
            return actor
        admin_roles = (
            RoleAssignment.objects.current()
            .filter(
                municipality=municipality,
                role=Role.MUNICIPAL_ADMIN,
                person__municipality=municipality,
                person__is_active=True,
            )
            .select_related("person")
            .order_by("starts_on", "pk")
        )
        for assignment in admin_roles:
            if can_import(assignment.person, municipality):
                return assignment.person
        raise CommandError(
            f"{municipality.name} har ingen nåværende kommuneadministrator. Gi en "
            "kommuneadministrator rollen først, eller oppgi en med --as <e-post>."
        )

    # --- the import -----------------------------------------------------------------------------

    def _handle(self, *, municipality, file, apply, actor_email, **options):
        municipality = self._municipality(municipality)
        filename, content = self._content(file)
        actor = self._actor(municipality, actor_email) if (apply or actor_email) else None
        try:
            if apply:
                report = importing.import_apply(
                    actor=actor, municipality=municipality, filename=filename, content=content
                )
            else:
                report = importing.import_dry_run(
                    municipality=municipality, filename=filename, content=content
                )
        except importing.ImportFileError as exc:
            raise CommandError(f"Filen kan ikke leses: {exc}") from exc
        except PermissionDenied as exc:
            raise CommandError(
                f"{actor} har ikke lov til å importere i {municipality.name}."
            ) from exc
        except ValidationError as exc:
            # Only if the data changed between the check and the write; the transaction is undone.
            raise CommandError(
                "Ingenting er importert: " + " ".join(exc.messages), returncode=1
            ) from exc

        for error in report.errors:
            self.stdout.write(f"Rad {error.row}: {error.reason}")
        summary = report.summary()
        self.stdout.write(
            f"{filename} ({municipality.name}): {summary['rows']} "
            f"{'rad' if summary['rows'] == 1 else 'rader'}, {summary['errors']} feil. "
            f"Nye enheter: {summary['units']}, nye avdelinger: {summary['departments']}, "
            f"nye personer: {summary['people']}, rolletildelinger: {summary['roles']}."
        )
        if not report.ok:
            if apply:
                message = f"Ingenting er importert: {summary['errors']} feil i filen."
            else:
                message = f"Filen har {summary['errors']} feil; ingenting kan importeres før alle rader er riktige."
            raise CommandError(f"{message} Rett filen og prøv igjen.", returncode=1)
        if apply:
            self.stdout.write(self.style.SUCCESS(f"Importert av {actor.email}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    "Ingen feil. Dette var en prøvekjøring; kjør igjen med --apply for å lagre."
                )
            )
