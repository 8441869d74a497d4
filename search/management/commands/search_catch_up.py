from django.core.management import BaseCommand, CommandError

from search.indexing import catch_up
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    # Run it from cron (e.g. every minute); it does nothing when nothing is pending.
    help = "补上搜索引擎停机期间错过的索引更新；没有待补更新时什么也不做。"

    def handle(self, **options):
        applied = catch_up()
        left = PendingIndexUpdate.objects.count()
        if left:
            raise CommandError(
                f"已补 {applied} 项索引更新，还剩 {left} 项：请检查搜索引擎是否在运行。"
            )
        self.stdout.write(f"已补 {applied} 项索引更新。")
