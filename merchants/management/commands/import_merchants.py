from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from merchants.importing import ImportFileError, merchants_import, report_lines


class Command(BaseCommand):
    help = "导入优待商户表格（CSV 或 XLSX，一行一条优待），导入的商户须审核发布后公开。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--valid-rows-only", action="store_true", help="只导入无误的商户，跳过有误的行"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件：{error.strerror}") from None
        try:
            report = merchants_import(
                content=content,
                filename=path.name,
                dry_run=options["dry_run"],
                valid_rows_only=options["valid_rows_only"],
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for line in report_lines(report):
            self.stdout.write(line)
        if report.errors and not report.applied and not options["dry_run"]:
            raise CommandError("文件有误，没有导入任何内容。改正后重试，或加 --valid-rows-only。")
