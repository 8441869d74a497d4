from django.core.management import BaseCommand
from django.utils.crypto import get_random_string

from worker.runner import run_worker


class Command(BaseCommand):
    help = "运行后台任务（索引更新、通知）：数据库重启后自动恢复，中断的任务重新排队，定时补索引。"

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default=None, help="在所有后台任务进程中唯一")
        parser.add_argument("--cycles", type=int, default=None, help="只运行这么多轮（测试用）")

    def handle(self, *, worker_id, cycles, **options):
        run_worker(worker_id=worker_id or get_random_string(32), cycles=cycles)
