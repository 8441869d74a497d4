from pathlib import Path

from django.core.management.base import BaseCommand

from merchants.importing import export_rows, write_file


class Command(BaseCommand):
    help = "导出优待商户表格（与导入同一格式，.csv 或 .xlsx），修改后可再导入。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        file_format = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        path.write_bytes(write_file(export_rows(), file_format=file_format))
        self.stdout.write(f"已导出到 {path}")
