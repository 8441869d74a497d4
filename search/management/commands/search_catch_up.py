from django.core.management import BaseCommand, CommandError

from search.indexing import catch_up
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    help = (
        "Applies the index updates the search engine missed while it was down. Run it from "
        "cron (e.g. every minute); it does nothing when nothing is pending."
    )

    def handle(self, **options):
        applied = catch_up()
        left = PendingIndexUpdate.objects.count()
        if left:
            raise CommandError(
                f"{applied} pending index updates applied, {left} left: is the engine up?"
            )
        self.stdout.write(f"{applied} pending index updates applied.")
