from django.core.management import call_command


def test_no_model_changes_without_a_migration(db):
    """Every model change ships with its migration (makemigrations --check)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
