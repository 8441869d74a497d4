"""The choices a request is made of: types, who the applicant is, school grades, documents.

They live apart from the models so that the rules (services.rules) and the models can both
read them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestType(models.TextChoices):
    CHILDCARE = "childcare", _("军娃托管")
    ENROLMENT = "enrolment", _("军人子女入学优待")
    EMPLOYMENT = "employment", _("随军家属及退役军人就业")
    ALLOWANCE = "allowance", _("未就业随军家属生活补助金")


class Relationship(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("现役")
    VETERAN = "veteran", _("退役")
    MARTYR = "martyr", _("烈士")
    DIED_ON_DUTY = "died_on_duty", _("因公牺牲")
    DIED_OF_ILLNESS = "died_of_illness", _("病故")


class Stage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")


class Grade(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY_1 = "primary_1", _("小学一年级")
    PRIMARY_2 = "primary_2", _("小学二年级")
    PRIMARY_3 = "primary_3", _("小学三年级")
    PRIMARY_4 = "primary_4", _("小学四年级")
    PRIMARY_5 = "primary_5", _("小学五年级")
    PRIMARY_6 = "primary_6", _("小学六年级")
    JUNIOR_1 = "junior_1", _("初中一年级")
    JUNIOR_2 = "junior_2", _("初中二年级")
    JUNIOR_3 = "junior_3", _("初中三年级")
    SENIOR_1 = "senior_1", _("高中一年级")
    SENIOR_2 = "senior_2", _("高中二年级")
    SENIOR_3 = "senior_3", _("高中三年级")


# The stage each grade belongs to, and the grade a new pupil of that stage starts in.
GRADE_STAGES = {grade: Stage(grade.value.split("_")[0]) for grade in Grade}
FIRST_GRADES = {
    Stage.KINDERGARTEN: Grade.KINDERGARTEN,
    Stage.PRIMARY: Grade.PRIMARY_1,
    Stage.JUNIOR: Grade.JUNIOR_1,
    Stage.SENIOR: Grade.SENIOR_1,
}


class EnrolmentKind(models.TextChoices):
    ENTRY = "entry", _("入学（新生）")
    TRANSFER = "transfer", _("转学")


class Education(models.TextChoices):
    JUNIOR = "junior", _("初中及以下")
    SENIOR = "senior", _("高中或中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生及以上")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("网上自行勾选同意")
    PAPER = "paper", _("书面签字同意（纸质件存档）")
    VERBAL = "verbal", _("当面或电话口头同意（已告知处理目的）")


class DocumentKind(models.TextChoices):
    """Proof documents, each with its own upload slot (services.rules says which a type needs)."""

    MEMBER_PROOF = "member_proof", _("军人身份证明或优待证")
    CHILD_RELATION = "child_relation", _("户口簿子女页或出生医学证明")
    HOUSEHOLD_REGISTER = "household_register", _("户口簿或居住证")
    BIRTH_CERTIFICATE = "birth_certificate", _("子女出生医学证明")
    SCHOOL_RECORD = "school_record", _("原学校学籍证明")
    MILITARY_FAMILY_PROOF = "military_family_proof", _("随军证明")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("结婚证")
    BANK_CARD = "bank_card", _("本人银行卡或存折")
    OTHER = "other", _("其他材料")


class ServicePointKind(models.TextChoices):
    CHILDCARE_STATION = "childcare_station", _("军娃托管站")
    STREET_STATION = "street_station", _("街道退役军人服务站")
    DISTRICT_CENTRE = "district_centre", _("区退役军人服务中心")
