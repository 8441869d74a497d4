import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from services.actions import private_files_delete, service_request_anonymise
from services.drafts import kept_files_purge
from services.selectors import closed_requests_due_for_anonymisation


class Command(BaseCommand):
    help = (
        "匿名化办结（已办结、不予受理、已撤回）超过保存期限（SERVICES_RETENTION_DAYS 天）的申请："
        "删除姓名、电话、证件号、子女信息和附件，保留统计数据；"
        "并删除过期的会话（含未提交的申请草稿）和草稿中超过 2 小时的材料文件。可每天定时运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计将被匿名化的申请数量，不做改动。"
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(days=settings.SERVICES_RETENTION_DAYS)
        due = closed_requests_due_for_anonymisation(closed_before=cutoff)
        if dry_run:
            self.stdout.write(f"将匿名化 {due.count()} 件申请（办结早于 {cutoff:%Y-%m-%d}）。")
            return
        count = sum(
            service_request_anonymise(service_request=service_request)
            for service_request in due.iterator()
        )
        # Files an earlier run could not delete (interrupted, or the storage failed).
        left = private_files_delete()
        # Unsent drafts live in sessions (two hours) and their files under drafts/.
        call_command("clearsessions")
        files = kept_files_purge(now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"已匿名化 {count} 件申请；已清除过期会话和 {files} 个过期的草稿材料文件。"
            )
        )
        if left:
            self.stderr.write(f"另有 {left} 个材料文件暂时无法删除，下次运行时将重试。")
