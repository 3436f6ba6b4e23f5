"""Synthetic history for the demo province (`motcua generate`): the rows the dossier services would write.

Each dossier is simulated act by act with the same rules as `dossiers.services` (codes per agency and day,
start of clock, appointment and step deadlines from `dossiers.clock`, the restart after a supplement, the
apology letter's lawfulness) and written in bulk: Dossier, DossierComponent, StepInstance, DossierEvent,
ClockPause, Reschedule, then the DossierCodeSequence rows. Not written: the outbox notifications of the
acts (history that has already been sent). Primary keys are allocated here so that the rows of a batch can
refer to each other; the sequences are reset at the end.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core import calendar
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.core.workcalendar import current_calendar
from motcua.dossiers import clock
from motcua.dossiers.models import (
    ClockPause,
    Dossier,
    DossierCodeSequence,
    DossierComponent,
    DossierEvent,
    Reschedule,
    StepInstance,
)
from motcua.dossiers.states import Act, Status
from motcua.quality.facts import TZ

S = Status
HOURS = calendar.TimeUnit.WORKING_HOURS
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Tâm"]


@dataclass
class Rates:
    """Shares of the synthetic history (DOMAIN.md "The province's own figures" for the orders of size)."""

    online: float = 0.45  # of dossiers whose procedure is offered online
    post: float = 0.05  # of paper dossiers
    refused_at_counter: float = 0.01
    refused_reception: float = 0.03  # of online submissions
    supplement: float = 0.05
    supplement_abandoned: float = 0.2  # of supplements: withdrawn instead of completed
    slow_step: float = 0.06  # a step overruns its share of the time limit
    apology: float = 0.4  # of slow dossiers
    withdrawn: float = 0.015
    refused: float = 0.015
    center_share: float = 0.25  # of province-level dossiers received by the center (else the department)


@dataclass
class Batch:
    dossiers: list = field(default_factory=list)
    components: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    events: list = field(default_factory=list)
    pauses: list = field(default_factory=list)
    reschedules: list = field(default_factory=list)

    def write(self) -> None:
        with transaction.atomic():
            for model, rows in (
                (Dossier, self.dossiers),
                (StepInstance, self.steps),
                (DossierComponent, self.components),
                (DossierEvent, self.events),
                (ClockPause, self.pauses),
                (Reschedule, self.reschedules),
            ):
                insert(model, rows)


def insert(model, objects: list) -> None:
    """`bulk_create` without its per-value compilation (the generator's hot path): multi-row INSERTs of
    the same column values Django would send (each field's own conversion for the database)."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields]
    now = timezone.now()
    convert = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            convert.append(lambda obj, f=f: f.get_db_prep_save(now, connection))
        elif isinstance(f, (models.DateTimeField, models.DecimalField, models.JSONField)):
            convert.append(lambda obj, f=f: f.get_db_prep_save(getattr(obj, f.attname), connection))
        else:
            convert.append(lambda obj, f=f: getattr(obj, f.attname))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = getattr(connection.features, "max_query_params", None) or 30_000
    size = max(1, min(1000, limit // len(fields)))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params = [c(obj) for obj in chunk for c in convert]
            values = ", ".join([per_row] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)


class Row:
    """A row to insert, lighter than a model instance: attributes named as the model's columns."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


class Ids:
    def __init__(self, model) -> None:
        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def __call__(self) -> int:
        self.next += 1
        return self.next - 1


class Generator:
    def __init__(self, *, seed: int, since: date, until: datetime, rates: Rates | None = None) -> None:
        self.rng = random.Random(seed)
        self.rates = rates or Rates()
        self.cal = current_calendar()
        self.since, self.until = since, until
        self.procedures = [
            p
            for p in Procedure.objects.filter(is_published=True).prefetch_related("components", "steps__unit")
            if p.has_time_limit
        ]
        if not self.procedures:
            raise ValueError(
                "no published procedure with a time limit: run `motcua demo --no-dossiers` first"
            )
        self.communes = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).order_by("pk"))
        self.police = {u.parent_id: u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE_POLICE)}
        self.center = OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER).order_by("pk").first()
        weights = {
            p.pk: self.rng.lognormvariate(0, 1) * (3 if p.level == "commune" else 1) for p in self.procedures
        }
        self.procedure_weights = [weights[p.pk] for p in self.procedures]
        self.commune_weights = [self.rng.lognormvariate(0, 0.8) for _ in self.communes]
        self.sequences = {(s.agency_code, s.day): s.last_number for s in DossierCodeSequence.objects.all()}
        self.ids = {
            m: Ids(m) for m in (Dossier, StepInstance, DossierComponent, DossierEvent, ClockPause, Reschedule)
        }
        self.staff: dict[tuple[int, str], User] = {}
        self.system = self._user("sinh.cong-dvc", Role.SYSTEM, None)

    # --- people ---------------------------------------------------------------------------------

    def _user(self, username: str, role: str, unit: OrgUnit | None) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, org_unit=unit, last_name="Cán bộ", first_name=username)
            user.set_unusable_password()
            user.save()
        return user

    def officer(self, unit: OrgUnit, role: str) -> User:
        key = (unit.pk, role)
        if key not in self.staff:
            self.staff[key] = self._user(f"sinh.{unit.code}.{role}", role, unit)
        return self.staff[key]

    # --- the mix --------------------------------------------------------------------------------

    def moments(self, count: int) -> list[datetime]:
        days = []
        d = self.since
        while d <= self.until.date():
            if self.cal.is_working_day(d):
                days.append(d)
            d += timedelta(days=1)
        out = []
        for _ in range(count):
            day = self.rng.choice(days)
            hour = self.rng.choice([7.5, 8, 9, 10, 11, 13, 14, 15, 16]) + self.rng.random() * 0.5
            out.append(datetime.combine(day, time.min, tzinfo=TZ) + timedelta(hours=hour))
        return sorted(m for m in out if m < self.until)

    def code(self, unit: OrgUnit, at: datetime) -> str:
        day = at.astimezone(TZ).date()
        key = (unit.code, day)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"{unit.code}-{day:%y%m%d}-{self.sequences[key]:04d}"

    def step_unit(self, template: ProcessStep, receiving: OrgUnit) -> OrgUnit:
        if template.unit_kind == ProcessStep.UnitKind.FIXED and template.unit is not None:
            return template.unit
        if template.unit_kind == ProcessStep.UnitKind.COMMUNE_POLICE and receiving.pk in self.police:
            return self.police[receiving.pk]
        return receiving

    def later(self, at: datetime, hours: float) -> datetime:
        return calendar.add_working_time(at, Decimal(str(round(hours, 2))), HOURS, calendar=self.cal)

    # --- one dossier ------------------------------------------------------------------------------

    def run(self, count: int, *, batch_size: int = 5000, progress=None) -> int:
        batch, made = Batch(), 0
        for at in self.moments(count):
            self.dossier(at, batch)
            made += 1
            if len(batch.dossiers) >= batch_size:
                batch.write()
                batch = Batch()
                if progress:
                    progress(made)
        batch.write()
        self.finish()
        return made

    def finish(self) -> None:
        DossierCodeSequence.objects.bulk_create(
            [
                DossierCodeSequence(agency_code=c, day=d, last_number=n)
                for (c, d), n in self.sequences.items()
            ],
            update_conflicts=True,
            unique_fields=["agency_code", "day"],
            update_fields=["last_number"],
            batch_size=5000,
        )
        models = [Dossier, StepInstance, DossierComponent, DossierEvent, ClockPause, Reschedule]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def dossier(self, submitted: datetime, batch: Batch) -> None:
        rng, rates = self.rng, self.rates
        procedure = rng.choices(self.procedures, self.procedure_weights)[0]
        if procedure.level == "commune":
            unit = rng.choices(self.communes, self.commune_weights)[0]
        elif rng.random() < rates.center_share or procedure.responsible_unit is None:
            unit = self.center
        else:
            unit = procedure.responsible_unit
            while unit.kind not in (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.CENTER) and unit.parent_id:
                unit = unit.parent
        online = procedure.online_level != Procedure.OnlineLevel.NONE and rng.random() < rates.online
        channel = "online" if online else ("post" if rng.random() < rates.post else "counter")
        if online:  # submitted at any hour; checked by the counter in office hours
            submitted = submitted - timedelta(hours=rng.choice([0, 0, 3, 6, 10]))
        Journey(self, procedure, unit, channel, submitted, batch).play()


class Journey:
    """One dossier's acts in time order, stopped at the generator's `until` (the dossier stays as it is)."""

    def __init__(self, gen: Generator, procedure, unit, channel, submitted, batch: Batch) -> None:
        self.gen, self.rng, self.batch = gen, gen.rng, batch
        self.p, self.unit, self.channel = procedure, unit, channel
        self.counter = gen.officer(unit, Role.COUNTER_OFFICER)
        business = self.rng.random() < 0.15
        name = (
            f"Công ty TNHH {self.rng.choice(GIVEN)} {self.rng.choice(GIVEN)}"
            if business
            else f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
        )
        self.d = Dossier(
            pk=gen.ids[Dossier](),
            code=gen.code(unit, submitted),
            procedure=procedure,
            channel=channel,
            receiving_unit=unit,
            status=S.DRAFT,
            applicant_kind="business" if business else "citizen",
            applicant_name=name,
            applicant_id_number=f"29{self.rng.randrange(10**8):08d}"
            if business
            else f"040{self.rng.randrange(10**9):09d}",
            applicant_phone=f"09{self.rng.randrange(10**8):08d}",
            submitted_at=submitted,
        )
        self.steps: list[StepInstance] = []
        self.last = submitted
        self.stopped = False

    def emit(
        self, act: Act, at: datetime, actor: User, to: Status | None, reason: str = "", data=None
    ) -> bool:
        """Record the act at `at` (False when it would be after `until`: the history stops there)."""
        if self.stopped or at > self.gen.until:
            self.stopped = True
            return False
        at = max(at, self.last)
        self.last = at
        from_status = self.d.status if self.d.status != S.DRAFT else None
        if to is not None:
            self.d.status = to
        if from_status is not None:
            self.d.version += 1
        self.batch.events.append(
            Row(
                id=self.gen.ids[DossierEvent](),
                dossier_id=self.d.pk,
                act=act.value,
                from_status=from_status,
                to_status=self.d.status,
                actor_id=actor.pk,
                actor_unit_id=actor.org_unit_id,
                step_id=self.d.current_step_id,
                at=at,
                reason=reason,
                data=data or {},
            )
        )
        return True

    def play(self) -> None:
        rng, rates, d = self.rng, self.gen.rates, self.d
        self.batch.dossiers.append(d)
        if self.channel == "online":
            self.emit(Act.SUBMIT_ONLINE, d.submitted_at, self.gen.system, S.NEW_ONLINE)
            self.create_rows()
            at = self.gen.later(d.submitted_at, rng.uniform(0.2, 6))
            if rng.random() < rates.refused_reception:
                if self.emit(
                    Act.REFUSE_RECEPTION, at, self.counter, S.NOT_ACCEPTED, "Sai thẩm quyền giải quyết"
                ):
                    d.closed_at = at
                return
            if not self.emit(Act.ACCEPT, at, self.counter, S.ACCEPTED):
                return
            self.start_clock(at)
        elif rng.random() < rates.refused_at_counter:
            d.closed_at = d.submitted_at
            reason = "Hồ sơ không thuộc thẩm quyền"
            self.emit(Act.REFUSE_AT_COUNTER, d.submitted_at, self.counter, S.NOT_ACCEPTED, reason)
            self.create_components()
            return
        else:
            self.start_clock(d.submitted_at)
            self.emit(Act.RECEIVE, d.submitted_at, self.counter, S.ACCEPTED)
            self.create_rows()
        self.process()

    def create_components(self) -> None:
        for c in self.p.components.all():
            self.batch.components.append(
                Row(
                    id=self.gen.ids[DossierComponent](),
                    dossier_id=self.d.pk,
                    procedure_component_id=c.pk,
                    name=c.name,
                    form=c.form,
                    count=c.count,
                    provided=c.is_mandatory,
                    note="",
                )
            )

    def create_rows(self) -> None:
        self.create_components()
        for t in self.p.steps.all():
            step = StepInstance(
                pk=self.gen.ids[StepInstance](),
                dossier_id=self.d.pk,
                position=t.position,
                name=t.name,
                unit=self.gen.step_unit(t, self.unit),
                role=t.role,
                is_approval=t.is_approval,
                duration=t.duration,
            )
            self.steps.append(step)
            self.batch.steps.append(step)

    def start_clock(self, at: datetime) -> None:
        d = self.d
        d.received_at = at
        d.clock_started_at = clock.start_of_clock(at, paper=self.channel != "online", cal=self.gen.cal)
        d.appointment_at = clock.appointment_from(d.clock_started_at, self.p, cal=self.gen.cal)
        d.original_appointment_at = d.appointment_at

    def activate(self, step: StepInstance, at: datetime) -> None:
        step.state, step.started_at = StepInstance.State.ACTIVE, at
        step.due_at = calendar.add_working_time(
            at, step.duration, self.p.time_limit_unit, calendar=self.gen.cal
        )
        self.d.current_step = step

    def process(self) -> None:
        rng, rates, d, gen = self.rng, self.gen.rates, self.d, self.gen
        at = gen.later(d.received_at, rng.uniform(0.05, 1.5))
        self.activate(self.steps[0], at)
        if not self.emit(Act.START_PROCESSING, at, self.counter, S.PROCESSING):
            self.unactivate()
            return
        fate = rng.random()
        slow = rng.random() < rates.slow_step
        for index, step in enumerate(self.steps):
            specialist = gen.officer(step.unit, Role.SPECIALIST)
            leader = gen.officer(step.unit, Role.UNIT_LEADER)
            share = self.share(step)
            if index == 0:
                if fate < rates.withdrawn:
                    if self.emit(
                        Act.WITHDRAW,
                        gen.later(step.started_at, share * rng.random()),
                        self.counter,
                        S.WITHDRAWN,
                        "Công dân xin rút hồ sơ",
                    ):
                        d.closed_at = self.last
                    return
                if fate < rates.withdrawn + rates.refused:
                    at = gen.later(step.started_at, share * rng.uniform(0.2, 0.9))
                    if self.emit(Act.REFUSE, at, specialist, S.STOPPED, "Không đủ điều kiện giải quyết"):
                        d.ended_at = at
                        self.return_result(at)
                    return
                if rng.random() < rates.supplement and not self.supplement(step, specialist, share):
                    return
                share = self.share(step)
            factor = (
                rng.uniform(1.2, 2.5) if slow and index == len(self.steps) // 2 else rng.uniform(0.15, 0.95)
            )
            finish = gen.later(step.started_at, share * factor)
            if factor > 1 and rng.random() < rates.apology and not self.apologise(step, specialist, finish):
                return
            step.state, step.finished_at = StepInstance.State.DONE, finish
            following = self.steps[index + 1] if index + 1 < len(self.steps) else None
            if following is not None:
                self.activate(following, finish)
            act, actor = (Act.APPROVE, leader) if step.is_approval else (Act.COMPLETE_STEP, specialist)
            if not self.emit(act, finish, actor, None):
                step.state, step.finished_at = StepInstance.State.ACTIVE, None
                if following is not None:
                    self.unactivate(following)
                    d.current_step = step
                return
        last = self.steps[-1]
        at = self.last + timedelta(minutes=rng.randint(1, 30))
        if self.emit(Act.ISSUE_RESULT, at, gen.officer(last.unit, Role.UNIT_LEADER), S.FINISHED):
            d.ended_at = at
            self.return_result(at)

    def share(self, step: StepInstance) -> float:
        """The step's share of the time limit, in working hours."""
        worked = calendar.working_time_between(step.started_at, step.due_at, calendar=self.gen.cal)
        return worked.total_seconds() / 3600

    def unactivate(self, step: StepInstance | None = None) -> None:
        step = step or self.steps[0]
        step.state, step.started_at, step.due_at = StepInstance.State.PENDING, None, None
        if step is self.steps[0] and self.d.current_step is step and self.d.status != S.PROCESSING:
            self.d.current_step = None

    def return_result(self, ended: datetime) -> None:
        at = self.gen.later(ended, self.rng.uniform(0.5, 24))
        if self.emit(Act.RETURN_RESULT, at, self.counter, S.RETURNED):
            self.d.returned_at = self.d.closed_at = at

    def supplement(self, step: StepInstance, specialist: User, share: float) -> bool:
        """Form 02 then, mostly, the completed dossier (the clock restarts); False when the story ends."""
        gen, d = self.gen, self.d
        at = gen.later(step.started_at, share * self.rng.uniform(0.1, 0.6))
        missing = ["Bản sao giấy tờ chứng minh nhân thân"]
        reason = "Thành phần hồ sơ chưa đầy đủ"
        if not self.emit(
            Act.REQUEST_SUPPLEMENT,
            at,
            specialist,
            S.SUPPLEMENT_REQUESTED,
            reason,
            {"missing": missing, "repeated": False},
        ):
            return False
        d.supplement_requests = 1
        pause = ClockPause(
            pk=gen.ids[ClockPause](),
            dossier_id=d.pk,
            kind=ClockPause.Kind.SUPPLEMENT,
            started_at=at,
            reason=reason,
            missing_items=missing,
            requested_by=specialist,
            step_id=step.pk,
        )
        self.batch.pauses.append(pause)
        back = gen.later(at, self.rng.uniform(4, 60))
        if self.rng.random() < gen.rates.supplement_abandoned:
            if self.emit(
                Act.WITHDRAW, back, self.counter, S.WITHDRAWN, "Công dân không bổ sung, xin rút hồ sơ"
            ):
                pause.ended_at = d.closed_at = back
            return False
        if back > gen.until:
            return False
        pause.ended_at = back
        d.clock_started_at = clock.start_of_clock(back, paper=self.channel != "online", cal=gen.cal)
        d.appointment_at = clock.appointment_from(d.clock_started_at, self.p, cal=gen.cal)
        d.original_appointment_at = d.appointment_at
        self.activate(step, d.clock_started_at)
        return self.emit(Act.COMPLETE_SUPPLEMENT, back, self.counter, S.PROCESSING)

    def apologise(self, step: StepInstance, actor: User, finish: datetime) -> bool:
        """The apology letter with a new date, issued before the due date when possible."""
        gen, d = self.gen, self.d
        notice = self.rng.uniform(-2, 16)  # working hours before the appointment (negative: too late)
        at = max(self.last + timedelta(minutes=1), gen.later(step.started_at, 0.5))
        before = calendar.working_time_between(at, d.appointment_at, calendar=gen.cal).total_seconds() / 3600
        if before > notice:
            at = gen.later(at, before - notice)
        if at >= finish:
            return True
        new = calendar.add_working_time(
            d.appointment_at, self.rng.randint(2, 5), "working_days", calendar=gen.cal
        )
        previous = d.appointment_at
        data = {"new_appointment_at": new.astimezone(TZ).isoformat()}
        reason = "Cần xác minh thêm thông tin"
        if not self.emit(Act.RESCHEDULE, at, actor, None, reason, data):
            return False
        self.batch.reschedules.append(
            Reschedule(
                pk=gen.ids[Reschedule](),
                dossier_id=d.pk,
                previous_appointment_at=previous,
                new_appointment_at=new,
                reason=reason,
                issued_at=at,
                issued_by=actor,
                responsible_unit_id=step.unit_id,
                step_id=step.pk,
                lawful=clock.apology_is_lawful(at, previous),
            )
        )
        d.appointment_at = new
        return True


def generate(*, dossiers: int, seed: int, since: date, until: datetime | None = None, progress=None) -> int:
    gen = Generator(seed=seed, since=since, until=until or timezone.now())
    return gen.run(dossiers, progress=progress)
