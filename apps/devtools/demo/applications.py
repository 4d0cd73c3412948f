"""Demo applications for seed_demo: several hundred for the busy organ, all through the services.

Every outcome, every pause (补正, 延期, third-party and other-organ consultation, fee paid and
unpaid) and every channel occurs; some applications cross the year end; the most recent ones are
still open (some due soon, some overdue) so the back-office lists have something to show.
Nothing for the seed organ (jhj): its 2018 report says it received no application.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from itertools import cycle

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.applications import notifications, services
from apps.applications.enums import (
    CHANNELS_RECEIVED_AT_REGISTRATION,
    REPLY_OUTCOMES,
    ApplicantType,
    Channel,
    ConsultationKind,
    DeliveryForm,
    DeliveryWay,
    IdentityType,
    Outcome,
)
from apps.applications.fees import FeeMethod
from apps.applications.identity import resident_id_check_char
from apps.applications.models import Application
from apps.organs.models import Organ
from apps.workdays.calendar import is_working_day

FIRST_DAY = dt.date(2021, 1, 4)
PER_YEAR = 70  # 2021–2026: about 420 applications

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟 芳 娜 敏 静 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 桂兰".split()
STREETS = ["太平路", "东一条路", "西三条路", "光华街", "七星街", "景福街", "新华路", "北安路"]
COMPANIES = [
    ("牡丹江市宏远建筑工程有限公司", ApplicantType.COMMERCIAL),
    ("黑龙江北方林业科技有限公司", ApplicantType.COMMERCIAL),
    ("牡丹江市农业科学研究院", ApplicantType.RESEARCH),
    ("黑龙江省林业科学院牡丹江分院", ApplicantType.RESEARCH),
    ("牡丹江市生态环境保护志愿者协会", ApplicantType.PUBLIC_INTEREST),
    ("牡丹江市慈善总会", ApplicantType.PUBLIC_INTEREST),
    ("黑龙江正大律师事务所", ApplicantType.LEGAL_SERVICES),
    ("黑龙江镜泊律师事务所", ApplicantType.LEGAL_SERVICES),
    ("牡丹江市东安区某某村股份经济合作社", ApplicantType.OTHER),
]
SUBJECTS = [
    ("{year}年度国有建设用地供应计划", "请公开{year}年度国有建设用地供应计划全文。"),
    ("某地块土地征收补偿安置方案", "请公开东安区兴隆镇某村土地征收的补偿安置方案及批复文件。"),
    ("不动产登记收费标准", "请公开本机关现行不动产登记收费的依据和标准。"),
    ("{year}年矿产资源开采审批情况", "请公开{year}年批准的采矿权名单及审批文号。"),
    ("国土空间总体规划（公示稿）", "请提供牡丹江市国土空间总体规划公示稿及其附图。"),
    ("违法用地行政处罚决定书", "请公开对某公司违法占地作出的行政处罚决定书。"),
    ("林地占用审批文件", "请公开某建设项目使用林地的审核同意书。"),
    ("房屋征收决定及补偿方案", "请公开阳明区某片区房屋征收决定及补偿方案。"),
]


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class _Builder:
    def __init__(self, *, organ: Organ, rng: random.Random, actor, today: dt.date):
        self.organ, self.rng, self.actor, self.today = organ, rng, actor, today
        self.people = [self._person(k) for k in range(60)]
        self.count = 0

    def _person(self, k: int) -> dict:
        rng = self.rng
        if k % 5 == 4:
            name, kind = COMPANIES[k % len(COMPANIES)]
            code = (
                "9123"
                + "".join(rng.choice("0123456789") for _ in range(4))
                + "MA"
                + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
            )
            return {
                "applicant_type": kind,
                "applicant_name": name,
                "credit_code": code,
                "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": f"0453-{rng.randint(6000000, 6999999)}",
                "email": f"office{k}@example.com",
                "address": f"黑龙江省牡丹江市{rng.choice(['东安区', '西安区', '爱民区', '阳明区'])}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                "postal_code": "157000",
            }
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18000))
        first17 = f"2310{rng.randint(1, 99):02d}{born:%Y%m%d}{rng.randint(0, 999):03d}"
        return {
            "applicant_type": ApplicantType.NATURAL,
            "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "id_type": IdentityType.RESIDENT_ID,
            "id_number": first17 + resident_id_check_char(first17),
            "phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
            "email": f"citizen{k}@example.com" if k % 3 else "",
            "address": f"黑龙江省牡丹江市{rng.choice(['东安区', '西安区', '爱民区', '阳明区'])}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            "postal_code": "157000",
        }

    def _fields(self, year: int) -> dict:
        title, description = self.rng.choice(SUBJECTS)
        return {
            **self.rng.choice(self.people),
            "info_title": title.format(year=year - 1),
            "info_description": description.format(year=year - 1),
            "delivery_form": self.rng.choice(list(DeliveryForm)),
            "delivery_way": self.rng.choice(list(DeliveryWay)),
        }

    def receive(self, *, day: dt.date, channel: str) -> Application:
        fields = self._fields(day.year)
        self.count += 1
        if channel == Channel.ONLINE:
            application, _ = services.application_submit_online(
                organ=self.organ,
                idempotency_token=uuid.UUID(int=self.rng.getrandbits(128)),
                submitted_at=timezone.make_aware(
                    dt.datetime.combine(day, dt.time(self.rng.randint(8, 21), 17))
                ),
                **fields,
            )
            return services.application_confirm_receipt(
                application=application, actor=self.actor, received_on=day, note="电话确认"
            )
        if channel not in CHANNELS_RECEIVED_AT_REGISTRATION:  # 双方确认之日 (条例第三十一条)
            application = services.application_register(
                organ=self.organ, actor=self.actor, channel=channel, submitted_on=day, **fields
            )
            return services.application_confirm_receipt(
                application=application, actor=self.actor, received_on=day, note="当日电话确认"
            )
        return services.application_register(
            organ=self.organ, actor=self.actor, channel=channel, submitted_on=day, received_on=day, **fields
        )

    def after(self, day: dt.date, low: int, high: int) -> dt.date:
        return _working_day_on_or_after(day + dt.timedelta(days=self.rng.randint(low, high)))

    def reply(self, application: Application, *, after: dt.date, outcome: str) -> Application:
        limit = application.due_date or after + dt.timedelta(days=20)
        day = self.after(after, 1, max(1, (limit - after).days))
        day = min(max(day, after), self.today)
        document = None
        if self.rng.random() < 0.5:
            document = ContentFile(
                f"政府信息公开申请答复书\n查询码：{application.tracking_code}\n".encode(), name="答复书.txt"
            )
        return services.application_reply(
            application=application,
            actor=self.actor,
            outcome=outcome,
            reply_date=day,
            text=f"经审查，{Outcome(outcome).label}。",
            document=document,
        )

    def scenario(self, *, day: dt.date, channel: str, path: str, outcome: str) -> Application | None:
        """One application along one path, taken only as far as today (the rest is still to come)."""
        a = self.receive(day=day, channel=channel)
        if path == "open":
            return a
        step = getattr(self, f"_{path}", None)
        a, last, finished = step(a, day) if step else (a, day, False)
        if finished:
            return a
        if outcome == Outcome.UNCLEAR_AFTER_CORRECTION and path != "correction":
            outcome = Outcome.NOT_HELD
        if (a.due_date or last) > self.today and self.rng.random() < 0.5:
            return a  # recent: still being handled
        return self.reply(a, after=last, outcome=outcome)

    # Each path step returns (application, the day of its last step, whether it is finished: ended,
    # or taken as far as today).

    def _correction(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        on = self.after(day, 1, 3)
        if on > self.today:
            return a, day, True  # received in the last few days: nothing more has happened yet
        a = services.application_request_correction(
            application=a, actor=self.actor, items="请明确所需信息的年份和地块位置。", on=on, period_days=10
        )
        last = self.after(on, 2, 8)
        if last > self.today:
            return a, last, True
        a = services.application_submit_correction(
            application=a, text="所需信息为2020年度，地块位于兴隆镇。", on=last
        )
        return a, last, False

    def _no_correction(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        on = self.after(day, 1, 3)
        if on > self.today:
            return a, day, True
        a = services.application_request_correction(
            application=a, actor=self.actor, items="请明确所需信息的年份和地块位置。", on=on, period_days=10
        )
        close_on = _working_day_on_or_after(a.correction_due + dt.timedelta(days=1))
        if close_on <= self.today:
            a = services.application_close_for_no_correction(application=a, actor=self.actor, on=close_on)
        return a, close_on, True

    def _extension(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        notice = a.due_date - dt.timedelta(days=self.rng.randint(1, 4))
        if notice > self.today:
            return a, day, True
        a = services.application_extend(
            application=a,
            actor=self.actor,
            approver="办公室主任 刘明",
            notice_date=max(notice, day),
            days=self.rng.choice([10, 15, 20]),
            reason="需要调取档案",
        )
        return a, max(notice, day), False

    def _consultation(self, a: Application, day: dt.date, kind: str) -> tuple[Application, dt.date, bool]:
        on = self.after(day, 2, 5)
        if on > self.today:
            return a, day, True
        third_party = kind == ConsultationKind.THIRD_PARTY
        party = "牡丹江市宏远建筑工程有限公司" if third_party else "牡丹江市住房和城乡建设局"
        a = services.application_start_consultation(
            application=a, actor=self.actor, kind=kind, party=party, on=on
        )
        last = self.after(on, 5, 20)
        if last > self.today:
            return a, last, True
        opinion = self.rng.choice(["同意公开", "不同意公开", "逾期未提出意见"])
        a = services.application_end_consultation(application=a, actor=self.actor, on=last, opinion=opinion)
        return a, last, False

    def _third_party(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        return self._consultation(a, day, ConsultationKind.THIRD_PARTY)

    def _other_organ(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        return self._consultation(a, day, ConsultationKind.OTHER_ORGAN)

    def _fee_notice(self, a: Application, day: dt.date) -> tuple[Application, dt.date | None]:
        on = self.after(day, 2, 6)
        if on > self.today:
            return a, None
        method = self.rng.choice([FeeMethod.PER_PAGE, FeeMethod.PER_ITEM])
        quantity = self.rng.randint(60, 260) if method == FeeMethod.PER_PAGE else self.rng.randint(12, 25)
        a = services.application_send_fee_notice(
            application=a, actor=self.actor, method=method, quantity=quantity, on=on
        )
        return a, on

    def _fee_paid(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        a, on = self._fee_notice(a, day)
        if on is None:
            return a, day, True
        last = self.after(on, 2, 10)
        if last > self.today:
            return a, last, True
        receipt_number = f"黑财票{self.rng.randint(10**7, 10**8 - 1)}"
        a = services.application_record_payment(
            application=a, actor=self.actor, paid_on=last, receipt_number=receipt_number
        )
        return a, last, False

    def _fee_unpaid(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        a, on = self._fee_notice(a, day)
        if on is None:
            return a, day, True
        close_on = _working_day_on_or_after(a.fee_due + dt.timedelta(days=1))
        if close_on <= self.today:
            a = services.application_close_for_no_payment(application=a, actor=self.actor, on=close_on)
        return a, close_on, True

    def _withdraw(self, a: Application, day: dt.date) -> tuple[Application, dt.date, bool]:
        on = self.after(day, 1, 10)
        if on <= self.today:
            a = services.application_withdraw(application=a, on=on, reason="申请人已通过其他途径获取")
        return a, on, True


PATHS = ["plain"] * 10 + [
    "correction",
    "no_correction",
    "extension",
    "third_party",
    "other_organ",
    "fee_paid",
    "fee_unpaid",
    "withdraw",
]


def wipe(*, organs: dict[str, Organ], stdout) -> None:
    deleted, _ = Application.objects.filter(organ__in=list(organs.values())).delete()
    stdout.write(f"  applications: removed {deleted} rows")


def _rare_cases(builder: _Builder, channels) -> None:
    """Every outcome, every pause, every channel, whatever the volume."""
    for k, outcome in enumerate(REPLY_OUTCOMES):
        day = _working_day_on_or_after(dt.date(2022, 2, 7) + dt.timedelta(days=9 * k))
        path = "correction" if outcome == Outcome.UNCLEAR_AFTER_CORRECTION else "plain"
        builder.scenario(day=day, channel=next(channels), path=path, outcome=outcome)
    for k, path in enumerate(PATHS[10:]):
        day = _working_day_on_or_after(dt.date(2023, 3, 6) + dt.timedelta(days=11 * k))
        channel = Channel.values[k % len(Channel.values)]
        builder.scenario(day=day, channel=channel, path=path, outcome=Outcome.DISCLOSED)


def _year_end_crossings(builder: _Builder, channels) -> None:
    """Received in late December, answered in January."""
    plain = cycle([o for o in REPLY_OUTCOMES if o != Outcome.UNCLEAR_AFTER_CORRECTION])
    for year in range(2021, min(builder.today.year, 2026)):
        for k in range(3):
            day = _working_day_on_or_after(dt.date(year, 12, 18 + 3 * k))
            a = builder.receive(day=day, channel=next(channels))
            reply_day = _working_day_on_or_after(dt.date(year + 1, 1, 8 + 2 * k))
            if reply_day <= min(a.due_date, builder.today):
                services.application_reply(
                    application=a,
                    actor=builder.actor,
                    outcome=next(plain),
                    reply_date=reply_day,
                    text="跨年度办结。",
                )


def _bulk(builder: _Builder, channels, per_year: int) -> None:
    """Spread over each year, with the recent ones still open (due soon / overdue)."""
    rng, today = builder.rng, builder.today
    outcomes, paths = cycle(REPLY_OUTCOMES), cycle(PATHS)
    last_day = min(today, dt.date(2026, 12, 31))
    day = FIRST_DAY
    step = dt.timedelta(days=max(1, 365 // per_year))
    while day <= last_day - dt.timedelta(days=1):
        received = _working_day_on_or_after(day + dt.timedelta(days=rng.randint(0, 3)))
        if received > today:
            break
        age = (today - received).days
        path = next(paths)
        if age < 45 and rng.random() < 0.6:
            path = "open"
        builder.scenario(day=received, channel=next(channels), path=path, outcome=next(outcomes))
        day += step


def _still_open(builder: _Builder) -> None:
    """A few open ones that are overdue (received two months ago, never answered) and one that is
    due within the next working days."""
    for k in range(3):
        received = _working_day_on_or_after(builder.today - dt.timedelta(days=60 + 7 * k))
        builder.scenario(day=received, channel=Channel.IN_PERSON, path="open", outcome=Outcome.DISCLOSED)
    soon = builder.today
    for _k in range(17):
        soon = soon - dt.timedelta(days=1)
        while not is_working_day(soon):
            soon -= dt.timedelta(days=1)
    builder.scenario(day=soon, channel=Channel.EMAIL, path="open", outcome=Outcome.DISCLOSED)


def build(*, organs: dict[str, Organ], rng: random.Random, stdout, per_year: int = PER_YEAR) -> None:
    busy = organs["busy"]
    if Application.objects.filter(organ=busy).exists():
        stdout.write("  applications: already built, skipped")
        return
    User = get_user_model()
    actor, _ = User.objects.get_or_create(username=f"{busy.slug}_clerk", defaults={"is_staff": True})
    builder = _Builder(organ=busy, rng=rng, actor=actor, today=timezone.localdate())
    channels = cycle(Channel.values)
    # Past steps of made-up applicants: nobody is to be told of them.
    with notifications.muted():
        # The rare cases first, so that they exist whatever the volume.
        _rare_cases(builder, channels)
        _year_end_crossings(builder, channels)
        _bulk(builder, channels, per_year)
        _still_open(builder)
    stdout.write(f"  applications: {builder.count} for {busy.name}")
