from django.core.management.base import BaseCommand

from demo.loader import DemoLoader


class Command(BaseCommand):
    help = "载入由区里原始文稿整理的演示内容；重复运行不会产生重复内容。"

    def handle(self, *args, **options):
        created = DemoLoader(log=self.stdout.write).run()
        if created:
            self.stdout.write(self.style.SUCCESS(f"演示内容已载入，新建 {created} 项内容。"))
        else:
            self.stdout.write("演示内容已是最新，没有改动。")
