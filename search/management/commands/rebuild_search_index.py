from django.core.management import BaseCommand, call_command
from django.utils import timezone

from search import engine
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    help = (
        "Rebuilds every search index from the database: the engine's atomically (a new index, "
        "then the alias is moved), and the database backend's in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk_size", type=int, default=1000)

    def handle(self, **options):
        started = timezone.now()
        engine.mark_engine_up()
        call_command(
            "update_index",
            chunk_size=options["chunk_size"],
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        # What waited for the engine before the rebuild began is in the new index now.
        covered, _kinds = PendingIndexUpdate.objects.filter(updated_at__lt=started).delete()
        self.stdout.write(
            f"Search indexes rebuilt; {covered} pending updates covered by the rebuild."
        )
