from django.core.management import BaseCommand, call_command
from django.utils import timezone

from home.page_cache import page_content_changed
from search import health
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    # The engine's index is rebuilt atomically (a new index, then the alias is moved); the
    # database backend's in one transaction.
    help = "从数据库重建全部搜索索引；搜索引擎的索引建好后原子切换，重建期间搜索不中断。"

    def add_arguments(self, parser):
        parser.add_argument("--chunk_size", type=int, default=1000)

    def handle(self, **options):
        started = timezone.now()
        health.allow_engine_retry()
        call_command(
            "update_index",
            chunk_size=options["chunk_size"],
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )
        # What waited for the engine before the rebuild began is in the new index now.
        covered, _kinds = PendingIndexUpdate.objects.filter(updated_at__lt=started).delete()
        if not PendingIndexUpdate.objects.exists():
            health.mark_engine_caught_up()
        page_content_changed()  # searches kept from the old index
        self.stdout.write(f"搜索索引已重建；其中包含此前待补的 {covered} 项更新。")
