from django.core.management import BaseCommand

from search.stats import search_events_roll_up


class Command(BaseCommand):
    # The scheduler runs it every ten minutes; the editors' report also rolls up before it reads.
    help = "把最近的搜索计入搜索词统计（搜索词统计页面打开时也会先计入）。"

    def handle(self, **options):
        counted = search_events_roll_up()
        if options["verbosity"]:
            self.stdout.write(f"已计入 {counted} 次搜索。")
