"""The programme's rules as data, each with where it comes from.

"本区设定" marks the district's own setting where its documents say nothing; the issue (7) that
describes the programme is quoted where it sets the rule.
"""

import re
from dataclasses import dataclass

# The categories the programme started with (issue 7); editors keep the list from there on
# (设置 → 商户类别). Codes are stable and appear in the directory's URLs.
SEED_CATEGORIES = (
    ("food", "餐饮"),
    ("shopping", "商超购物"),
    ("health", "医疗健康"),
    ("transport", "交通出行"),
    ("lodging", "住宿"),
    ("tourism", "文旅景区"),
    ("education", "教育培训"),
    ("living", "生活服务"),
    ("finance", "金融服务"),
    ("legal", "法律服务"),
)


@dataclass(frozen=True)
class Beneficiary:
    key: str  # in the directory's URL: ?who=veterans
    field: str  # the Offer field that says the offer is for them
    label: str
    short_label: str = ""  # where space is short (the directory's filter, at 320 px)

    @property
    def short(self) -> str:
        return self.short_label or self.label


# Who an offer may be for (issue 7). 三属 are the families of martyrs and of service members
# who died on duty or of illness.
BENEFICIARIES = (
    Beneficiary("serving", "for_serving", "现役军人"),
    Beneficiary("veterans", "for_veterans", "退役军人"),
    Beneficiary("families", "for_families", "军属"),
    Beneficiary(
        "survivors",
        "for_survivors",
        "烈士遗属、因公牺牲军人遗属、病故军人遗属（三属）",
        short_label="三属（烈士等遗属）",
    ),
    Beneficiary("card_holders", "for_card_holders", "优待证持有人"),
)
BENEFICIARIES_BY_KEY = {beneficiary.key: beneficiary for beneficiary in BENEFICIARIES}
# What a spreadsheet may write for each group, besides its full label.
BENEFICIARY_ALIASES = {
    "三属": "survivors",
    "烈士遗属": "survivors",
    "因公牺牲军人遗属": "survivors",
    "病故军人遗属": "survivors",
    "优待证": "card_holders",
    "持优待证人员": "card_holders",
}

# Phones (issue 7: "landline with area code or mobile"). Mainland mobiles have 11 digits from
# 13 to 19; landlines an area code of 3 digits (010, 02x) or 4 (0xxx) and 7 or 8 digits.
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})")
PHONE_EXPECTED = "手机号（11位）或带区号的固定电话，例如 023-65123456"

# The unified social credit code, GB 32100-2015: 18 characters from 31 (no I, O, S, V, Z); the
# last is a check character computed from the first 17 with these weights (3^i mod 31).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# 优惠未兑现反映 (issue 7): staff answer within this many days (本区设定), and a merchant with
# this many upheld reports within the window is flagged for review.
REPORT_ANSWER_DAYS = 15
REVIEW_FLAG_UPHELD = 2
REVIEW_FLAG_WINDOW_DAYS = 90
# A report may concern something up to this long ago (本区设定).
REPORT_MAX_AGE_DAYS = 365
# Reports one client may send per hour (本区设定): enough for a family, not for a flood.
REPORTS_PER_HOUR = 5

# Spreadsheets (issue 7): larger files are refused before they are read.
IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
# An XLSX is a zip: its parts may not expand beyond this (a 10 MB file of 20,000 rows expands
# to well under it; a zip bomb expands to gigabytes).
IMPORT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
