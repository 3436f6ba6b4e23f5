"""Synthetic history for the demo province (`motcua generate`): the rows the dossier services would write.

Each dossier is simulated act by act with the same rules as `dossiers.services` (codes per agency and day,
start of clock, appointment and step deadlines from `dossiers.clock`, the restart after a supplement, the
apology letter's lawfulness; the parallel stages, the transfer step and its 15:00 deadline, the consultations
of other agencies) and written in bulk: Dossier, DossierComponent, StepInstance, DossierEvent, ClockPause,
Reschedule, Consultation, then the DossierCodeSequence rows. Not written: the outbox notifications of the
acts (history that has already been sent).

Speed (2 million dossiers in minutes): the rows are plain tuples (no model instances), the calendar
arithmetic is `demo.fastcal` (the same results as `core.calendar`, on a pre-computed table of days),
and each batch of dossiers is written with PostgreSQL's COPY (multi-row INSERTs elsewhere, e.g. SQLite).

Primary keys are allocated here, from max(id) + 1 of each table at the start, so that the rows of a batch
can refer to each other before they are written; the sequences are reset at the end. This assumes the
generator runs alone (a demo or benchmark database, nobody else inserting dossiers meanwhile); on
PostgreSQL a session advisory lock keeps two generators from running at once.
"""

import itertools
import json
import multiprocessing
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.calendar import WorkCalendar
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.core.text import fold
from motcua.core.workcalendar import current_calendar
from motcua.demo.fastcal import FastCalendar, amount_micros
from motcua.dossiers import clock, scope
from motcua.dossiers.models import (
    ClockPause,
    Consultation,
    Dossier,
    DossierCodeSequence,
    DossierComponent,
    DossierEvent,
    DossierUnit,
    Reschedule,
    StepInstance,
)
from motcua.dossiers.payloads import (
    ConsultationAnswered,
    ConsultationAsked,
    Rescheduled,
    SupplementItem,
    SupplementRequested,
)
from motcua.dossiers.states import Act, Status
from motcua.quality.bulk import insert_rows, unchecked_foreign_keys
from motcua.quality.facts import TZ

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from motcua.quality.bulk import Row

S = Status
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Tâm"]
BATCH = 20_000  # dossiers per written batch: bounds the memory (about 15 rows of all kinds per dossier)
ADVISORY_LOCK = 7_660_001  # pg_advisory_lock key of the generator

type Written = (
    type[Dossier]
    | type[StepInstance]
    | type[DossierComponent]
    | type[DossierEvent]
    | type[ClockPause]
    | type[Reschedule]
    | type[Consultation]
)
type Officer = tuple[int, int | None]  # (user id, unit id)
type Progress = Callable[[int], None]  # called with the dossiers made so far, after each batch

# The columns written, in the order of the tuples built below (checked against the models at start).
COLUMNS: dict[Written, tuple[str, ...]] = {
    Dossier: (
        "id", "code", "procedure_id", "channel", "receiving_unit_id", "status", "version", "applicant_kind",
        "applicant_name", "applicant_name_folded", "applicant_id_number", "applicant_phone",
        "applicant_email", "applicant_address",
        "applicant_user_id", "summary", "submitted_at", "received_at", "clock_started_at", "appointment_at",
        "original_appointment_at", "ended_at", "returned_at", "closed_at", "current_step_id",
        "supplement_requests", "created_at", "updated_at",
    ),
    StepInstance: (
        "id", "dossier_id", "position", "stage", "kind", "name", "unit_id", "role", "is_approval", "duration",
        "assignee_id", "state", "started_at", "due_at", "finished_at", "finished_by_id", "opinion",
    ),
    DossierComponent: (
        "id", "dossier_id", "procedure_component_id", "name", "form", "count", "provided", "note",
    ),
    DossierEvent: (
        "id", "dossier_id", "act", "from_status", "to_status", "actor_id", "actor_unit_id", "step_id", "at",
        "reason", "data",
    ),
    ClockPause: (
        "id", "dossier_id", "kind", "started_at", "ended_at", "reason", "missing_items", "requested_by_id",
        "step_id", "judged_before",
    ),
    Reschedule: (
        "id", "dossier_id", "previous_appointment_at", "new_appointment_at", "reason", "issued_at",
        "issued_by_id", "responsible_unit_id", "step_id", "lawful",
    ),
    Consultation: (
        "id", "dossier_id", "step_id", "asking_unit_id", "consulted_unit_id", "content", "asked_by_id",
        "asked_at", "working_days", "due_at", "answer", "answered_by_id", "answered_at", "withdrawn_at",
        "late_alerted_at",
    ),
}  # fmt: skip
MODELS = tuple(COLUMNS)  # also the order of the writes

# Status and Act values as plain int / str (what the database stores).
DRAFT, NEW_ONLINE, ACCEPTED, NOT_ACCEPTED = (
    int(S.DRAFT),
    int(S.NEW_ONLINE),
    int(S.ACCEPTED),
    int(S.NOT_ACCEPTED),
)
PROCESSING, SUPPLEMENT_REQUESTED = int(S.PROCESSING), int(S.SUPPLEMENT_REQUESTED)
WITHDRAWN, STOPPED, FINISHED, RETURNED = int(S.WITHDRAWN), int(S.STOPPED), int(S.FINISHED), int(S.RETURNED)
PENDING, ACTIVE, DONE = (str(s.value) for s in StepInstance.State)
PROCESS, TRANSFER = str(StepInstance.Kind.PROCESS.value), str(StepInstance.Kind.TRANSFER.value)
COUNTER_ROLE = str(Role.COUNTER_OFFICER.value)
TRANSFER_STEP_NAME = "Chuyển hồ sơ đến cơ quan giải quyết"  # `dossiers.intake.TRANSFER_STEP_NAME`
CONSULT_CONTENT = "Đề nghị có ý kiến về hồ sơ theo chức năng, nhiệm vụ của cơ quan"
ANSWER_TEXT = "Thống nhất với đề xuất; không có ý kiến khác"
LATE_ALERT_AFTER = timedelta(minutes=10)  # the late-consultation alert job runs every few minutes
SUPPLEMENT = str(ClockPause.Kind.SUPPLEMENT.value)
EMPTY_JSON = "{}"


@dataclass
class Rates:
    """Shares of the synthetic history (orders of size: docs/domain.md "The province's own figures")."""

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
    late_transfer: float = 0.08  # of dossiers with a transfer step: handed over after the transfer deadline
    consultation: float = (
        0.08  # of dossiers (with a one-step stage that is not an approval): another agency asked
    )
    consultation_late: float = 0.25  # of consultations: answered after their deadline


class Batch:
    def __init__(self) -> None:
        self.rows: dict[Written, list[Row]] = {model: [] for model in MODELS}
        self.dossiers = self.rows[Dossier]
        self.steps = self.rows[StepInstance]
        self.components = self.rows[DossierComponent]
        self.events = self.rows[DossierEvent]
        self.pauses = self.rows[ClockPause]
        self.reschedules = self.rows[Reschedule]
        self.consultations = self.rows[Consultation]

    def write(self) -> None:
        with transaction.atomic(), unchecked_foreign_keys():
            for model in MODELS:
                insert_rows(model, COLUMNS[model], self.rows[model])


def check_columns() -> None:
    for model, columns in COLUMNS.items():
        actual = {f.attname for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(
                f"synthetic: the columns of {model.__name__} changed: {sorted(actual ^ set(columns))}"
            )


class Template:
    """What the generator needs of a published procedure, read once."""

    def __init__(self, p: Procedure, cal: WorkCalendar) -> None:
        self.p = p
        self.pk = p.pk
        self.level = p.level
        self.offered_online = p.online_level != Procedure.OnlineLevel.NONE
        self.responsible_unit = p.responsible_unit
        self.unit = p.time_limit_unit
        amount, unit = clock.time_limit(p)
        self.limit = amount
        self.limit_micros = amount_micros(amount, unit, cal)
        self.components = [(c.pk, c.name, c.form, c.count, c.is_mandatory) for c in p.components.all()]
        self.steps: list[tuple[ProcessStep, int, int, str, str, bool, Decimal, int | None]] = []
        group: int | None = (
            None  # consecutive steps of one parallel group share a stage (`instantiate_steps`)
        )
        for t in sorted(p.steps.all(), key=lambda t: t.position):
            joins = bool(self.steps) and t.parallel_group is not None and t.parallel_group == group
            stage = self.steps[-1][2] if joins else t.position
            micros = amount_micros(t.duration, self.unit, cal)
            self.steps.append((t, t.position, stage, t.name, t.role, t.is_approval, t.duration, micros))
            group = t.parallel_group
        self.first_stage = [t for t, _p, stage, *_rest in self.steps if stage == self.steps[0][2]]
        # The stage that overruns in a slow dossier: the first parallel one (one of its agencies), else the
        # middle one.
        stages = list(dict.fromkeys(stage for _t, _p, stage, *_rest in self.steps))
        sizes = [sum(1 for step in self.steps if step[2] == stage) for stage in stages]
        self.slow_stage = next((i for i, size in enumerate(sizes) if size > 1), len(stages) // 2)


class Generator:
    def __init__(self, *, seed: int, since: date, until: datetime, rates: Rates | None = None) -> None:
        check_columns()
        self.rng = random.Random(seed)
        self.rates = rates or Rates()
        self.cal = current_calendar()
        self.since, self.until = since, until
        # Deadlines run a few months past `until` (time limits in months, apology letters): 4 years' room.
        self.fast = FastCalendar(self.cal, since - timedelta(days=10), until.date() + timedelta(days=4 * 366))
        self.procedures = [
            p
            for p in Procedure.objects.filter(is_published=True).prefetch_related("components", "steps__unit")
            if p.has_time_limit
        ]
        if not self.procedures:
            raise ValueError(
                "no published procedure with a time limit: run `motcua demo --no-dossiers` first"
            )
        self.templates = [Template(p, self.cal) for p in self.procedures]
        self.communes = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).order_by("pk"))
        self.police = {u.parent_id: u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE_POLICE)}
        self.center = OrgUnit.objects.filter(kind=OrgUnit.Kind.CENTER).order_by("pk").first()
        weights = {
            p.pk: self.rng.lognormvariate(0, 1) * (3 if p.level == "commune" else 1) for p in self.procedures
        }
        self.procedure_weights = [weights[p.pk] for p in self.procedures]
        self.procedure_cum = list(itertools.accumulate(self.procedure_weights))
        self.commune_weights = [self.rng.lognormvariate(0, 0.8) for _ in self.communes]
        self.commune_cum = list(itertools.accumulate(self.commune_weights))
        self.sequences = {(s.agency_code, s.day): s.last_number for s in DossierCodeSequence.objects.all()}
        self.first_ids = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in MODELS}
        self.ids = {m: itertools.count(first) for m, first in self.first_ids.items()}
        # The agencies asked for an opinion (xin ý kiến): the departments, else any unit.
        self.consultable = list(
            OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT, is_active=True).order_by("pk")
        ) or list(OrgUnit.objects.filter(is_active=True).order_by("pk"))
        self.transfers: dict[tuple[int, int], bool] = {}
        self.staff: dict[tuple[int, str], tuple[int, int | None]] = {}
        self.units: dict[tuple[int, int], OrgUnit] = {}
        self.deciding: dict[int, OrgUnit] = {}
        system = self._user("sinh.cong-dvc", Role.SYSTEM, None)
        self.system = (system.pk, system.org_unit_id)
        self.now = timezone.now()

    # --- people ---------------------------------------------------------------------------------

    def _user(self, username: str, role: str, unit: OrgUnit | None) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, org_unit=unit, last_name="Cán bộ", first_name=username)
            user.set_unusable_password()
            user.save()
        return user

    def officer(self, unit: OrgUnit, role: str) -> tuple[int, int | None]:
        """(user id, unit id) of the unit's synthetic officer in this role."""
        key = (unit.pk, role)
        found = self.staff.get(key)
        if found is None:
            user = self._user(f"sinh.{unit.code}.{role}", role, unit)
            found = self.staff[key] = (user.pk, user.org_unit_id)
        return found

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
        number = self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"{unit.code}-{day:%y%m%d}-{number:04d}"

    def step_unit(self, template: ProcessStep, receiving: OrgUnit) -> OrgUnit:
        key = (template.pk, receiving.pk)
        unit = self.units.get(key)
        if unit is None:
            if template.unit_kind == ProcessStep.UnitKind.FIXED and template.unit is not None:
                unit = template.unit
            elif template.unit_kind == ProcessStep.UnitKind.COMMUNE_POLICE and receiving.pk in self.police:
                unit = self.police[receiving.pk]
            else:
                unit = receiving
            self.units[key] = unit
        return unit

    def has_transfer(self, t: Template, receiving: OrgUnit) -> bool:
        """Whether the dossier starts with a transfer step: its first stage is not (all) at the receiving
        unit (`intake.instantiate_steps`)."""
        key = (t.pk, receiving.pk)
        found = self.transfers.get(key)
        if found is None:
            found = self.transfers[key] = any(
                self.step_unit(step, receiving).pk != receiving.pk for step in t.first_stage
            )
        return found

    def later(self, at: datetime, hours: float) -> datetime:
        """`calendar.add_working_time(at, Decimal(str(round(hours, 2))), WORKING_HOURS)`."""
        return self.fast.add_hours(at, hours)

    def hours_between(self, a: datetime, b: datetime) -> float:
        """`working_time_between(a, b).total_seconds() / 3600`."""
        return self.fast.between(a, b) / 10**6 / 3600

    # --- one dossier ------------------------------------------------------------------------------

    def run(self, count: int, *, batch_size: int = BATCH, progress: Progress | None = None) -> int:
        with _generator_lock():
            if (
                count >= PIPELINE_FROM
                and connection.vendor == "postgresql"
                and not connection.in_atomic_block
            ):
                made = self._run_pipelined(count, batch_size, progress)
            else:
                made = self._simulate(count, batch_size, lambda batch, made: _write(batch, made, progress))
            self.finish()
        return made

    def _simulate(self, count: int, batch_size: int, emit: Callable[[Batch, int], object]) -> int:
        """Play the dossiers, handing each full batch to `emit(batch, made so far)`."""
        batch, made = Batch(), 0
        for at in self.moments(count):
            self.dossier(at, batch)
            made += 1
            if len(batch.dossiers) >= batch_size:
                emit(batch, made)
                batch = Batch()
        emit(batch, made)
        return made

    def _run_pipelined(self, count: int, batch_size: int, progress: Progress | None) -> int:
        """Two processes: a forked child simulates (it owns the random generator, the keys, the codes, and
        creates the officers on its own connection) and sends each batch's tuples through a pipe; this
        process writes them. On 2 cores the simulation, the COPY and the server then run side by side."""
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=self._child, args=(sender, count, batch_size), daemon=True
        )
        child.start()
        sender.close()
        made: int
        try:
            while True:
                kind, payload, made = receiver.recv()
                if kind == "batch":
                    batch = Batch()
                    batch.rows = payload
                    _write(batch, made, progress)
                elif kind == "done":
                    self.sequences = payload
                    return made
                else:
                    raise RuntimeError(f"synthetic history: the simulating process failed:\n{payload}")
        finally:
            receiver.close()
            child.join()

    def _child(
        self, sender: "Connection[tuple[str, object, int], object]", count: int, batch_size: int
    ) -> None:
        # The parent's connection was inherited with the fork: keep it referenced (closing it, or letting
        # it be collected, would end the parent's session) and open another one.
        _inherited.append(connection.connection)
        connection.connection = None
        try:
            made = self._simulate(
                count, batch_size, lambda batch, made: sender.send(("batch", batch.rows, made))
            )
            sender.send(("done", self.sequences, made))
        except BaseException:
            sender.send(("error", traceback.format_exc(), 0))
        finally:
            sender.close()
            connection.close()

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
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                cursor.execute(sql)
        scope.backfill()  # the units each new dossier belongs to (who sees it)
        with connection.cursor() as cursor:  # ... and the units asked for an opinion (`consultations._ask`)
            cursor.execute(CONSULTED_UNITS, [self.first_ids[Consultation]])

    def pick[T](self, population: list[T], cum: list[float]) -> T:
        """`rng.choices(population, weights)[0]` with the cumulative weights computed once."""
        return self.rng.choices(population, cum_weights=cum)[0]

    def dossier(self, submitted: datetime, batch: Batch) -> None:
        rng, rates = self.rng, self.rates
        template = self.pick(self.templates, self.procedure_cum)
        if template.level == "commune":
            unit = self.pick(self.communes, self.commune_cum)
        elif rng.random() < rates.center_share or template.responsible_unit is None:
            assert self.center is not None  # the demo province has its center
            unit = self.center
        else:
            deciding = self.deciding.get(template.pk)
            if deciding is None:
                deciding = template.responsible_unit
                while (
                    deciding.kind not in (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.CENTER) and deciding.parent_id
                ):
                    parent = deciding.parent
                    assert parent is not None  # it has a parent_id
                    deciding = parent
                self.deciding[template.pk] = deciding
            unit = deciding
        online = template.offered_online and rng.random() < rates.online
        channel = "online" if online else ("post" if rng.random() < rates.post else "counter")
        if online:  # submitted at any hour; checked by the counter in office hours
            submitted = submitted - timedelta(hours=rng.choice([0, 0, 3, 6, 10]))
        journey = Journey(self, template, unit, channel, submitted, batch)
        journey.play()
        batch.dossiers.append(journey.row())
        for step in journey.steps:
            batch.steps.append(step.row())


class Step:
    """A StepInstance to be: the template's fields, then its state as the journey moves on."""

    __slots__ = (
        "dossier_id", "due_at", "duration", "finished_at", "finished_by", "is_approval", "kind", "micros",
        "name", "pk", "position", "role", "stage", "started_at", "state", "unit",
    )  # fmt: skip
    pk: int
    dossier_id: int
    position: int
    stage: int
    kind: str
    name: str
    unit: OrgUnit
    role: str
    is_approval: bool
    duration: Decimal
    micros: int | None  # `duration` in working microseconds (None: a calendar unit)
    state: str
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    finished_by: int | None

    def row(self) -> "Row":
        return (
            self.pk,
            self.dossier_id,
            self.position,
            self.stage,
            self.kind,
            self.name,
            self.unit.pk,
            self.role,
            self.is_approval,
            self.duration,
            None,
            self.state,
            self.started_at,
            self.due_at,
            self.finished_at,
            self.finished_by,
            "",
        )


class Journey:
    """One dossier's acts in time order, stopped at the generator's `until` (the dossier stays as it is)."""

    def __init__(
        self,
        gen: Generator,
        template: Template,
        unit: OrgUnit,
        channel: str,
        submitted: datetime,
        batch: Batch,
    ) -> None:
        self.gen, self.rng, self.batch = gen, gen.rng, batch
        self.t, self.unit, self.channel = template, unit, channel
        self.counter = gen.officer(unit, Role.COUNTER_OFFICER)
        rng = self.rng
        business = rng.random() < 0.15
        self.business = business
        self.name = (
            f"Công ty TNHH {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
            if business
            else f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        )
        self.pk = next(gen.ids[Dossier])
        self.code = gen.code(unit, submitted)
        self.id_number = f"29{rng.randrange(10**8):08d}" if business else f"040{rng.randrange(10**9):09d}"
        self.phone = f"09{rng.randrange(10**8):08d}"
        self.submitted_at = submitted
        self.status = DRAFT
        self.version = 1
        self.received_at: datetime | None = None
        self.clock_started_at: datetime | None = None
        self.appointment_at: datetime | None = None
        self.judged_at: datetime | None = None
        self.original_appointment_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.returned_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.current_step: Step | None = None
        self.supplement_requests = 0
        self.steps: list[Step] = []  # every step, the transfer step first (if any)
        self.stages: list[list[Step]] = []  # the process steps by stage, in order
        self.transfer: Step | None = None
        self.last = submitted
        self.stopped = False
        self.event_ids = gen.ids[DossierEvent]
        self.until = gen.until

    def row(self) -> "Row":
        now = self.gen.now
        return (
            self.pk,
            self.code,
            self.t.pk,
            self.channel,
            self.unit.pk,
            self.status,
            self.version,
            "business" if self.business else "citizen",
            self.name,
            fold(self.name),
            self.id_number,
            self.phone,
            "",
            "",
            None,
            "",
            self.submitted_at,
            self.received_at,
            self.clock_started_at,
            self.appointment_at,
            self.original_appointment_at,
            self.ended_at,
            self.returned_at,
            self.closed_at,
            self.current_step.pk if self.current_step is not None else None,
            self.supplement_requests,
            now,
            now,
        )

    def emit(
        self, act: str, at: datetime, actor: Officer, to: int | None, reason: str = "", data: str = EMPTY_JSON
    ) -> bool:
        """Record the act at `at` (False when it would be after `until`: the history stops there)."""
        if self.stopped or at > self.until:
            self.stopped = True
            return False
        if at < self.last:
            at = self.last
        self.last = at
        from_status = self.status if self.status != DRAFT else None
        if to is not None:
            self.status = to
        if from_status is not None:
            self.version += 1
        step = self.current_step
        self.batch.events.append(
            (
                next(self.event_ids),
                self.pk,
                act,
                from_status,
                self.status,
                actor[0],
                actor[1],
                step.pk if step is not None else None,
                at,
                reason,
                data,
            )
        )
        return True

    def play(self) -> None:
        rng, rates, gen = self.rng, self.gen.rates, self.gen
        if self.channel == "online":
            self.create_rows()
            self.emit(Act.SUBMIT_ONLINE.value, self.submitted_at, gen.system, NEW_ONLINE)
            at = gen.later(self.submitted_at, rng.uniform(0.2, 6))
            if rng.random() < rates.refused_reception:
                if self.emit(
                    Act.REFUSE_RECEPTION.value, at, self.counter, NOT_ACCEPTED, "Sai thẩm quyền giải quyết"
                ):
                    self.closed_at = at
                return
            if not self.emit(Act.ACCEPT.value, at, self.counter, ACCEPTED):
                return
            self.start_clock(at)
        elif rng.random() < rates.refused_at_counter:
            self.closed_at = self.submitted_at
            reason = "Hồ sơ không thuộc thẩm quyền"
            self.emit(Act.REFUSE_AT_COUNTER.value, self.submitted_at, self.counter, NOT_ACCEPTED, reason)
            self.create_components()
            return
        else:
            self.create_rows()
            self.start_clock(self.submitted_at)
            self.emit(Act.RECEIVE.value, self.submitted_at, self.counter, ACCEPTED)
        self.process()

    def create_components(self) -> None:
        ids, pk, append = self.gen.ids[DossierComponent], self.pk, self.batch.components.append
        for c_pk, name, form, count, mandatory in self.t.components:
            append((next(ids), pk, c_pk, name, form, count, mandatory, ""))

    def create_rows(self) -> None:
        """The components and the steps (`intake.instantiate_steps`): a transfer step (stage 0) first when
        the first stage is not at the receiving unit, then the template's steps with their stages."""
        self.create_components()
        gen = self.gen
        ids = gen.ids[StepInstance]
        if gen.has_transfer(self.t, self.unit):
            self.transfer = self.new_step(
                next(ids), 0, 0, TRANSFER, TRANSFER_STEP_NAME, self.unit, COUNTER_ROLE
            )
            self.transfer.duration, self.transfer.micros = Decimal(0), 0
        stages, stage_of = self.stages, None
        for t, position, stage, name, role, is_approval, duration, micros in self.t.steps:
            step = self.new_step(next(ids), position, stage, PROCESS, name, gen.step_unit(t, self.unit), role)
            step.is_approval, step.duration, step.micros = is_approval, duration, micros
            if stage != stage_of:
                stages.append([])
                stage_of = stage
            stages[-1].append(step)
        self.steps = (
            [self.transfer, *itertools.chain(*stages)] if self.transfer else [*itertools.chain(*stages)]
        )

    def new_step(
        self, pk: int, position: int, stage: int, kind: str, name: str, unit: OrgUnit, role: str
    ) -> "Step":
        step = Step()
        step.pk, step.dossier_id, step.position, step.stage, step.kind = pk, self.pk, position, stage, kind
        step.name, step.unit, step.role, step.is_approval = name, unit, role, False
        step.state, step.started_at, step.due_at, step.finished_at, step.finished_by = (
            PENDING,
            None,
            None,
            None,
            None,
        )
        return step

    def appointment_from(self, start: datetime) -> datetime:
        """`clock.appointment_from(start, procedure)`."""
        return self.gen.fast.add_amount(start, self.t.limit, self.t.unit, self.t.limit_micros)

    def start_clock(self, at: datetime) -> None:
        self.received_at = at
        self.clock_started_at = self.gen.fast.start_of_clock(at, paper=self.channel != "online")
        self.appointment_at = self.appointment_from(self.clock_started_at)
        self.original_appointment_at = self.judged_at = self.appointment_at
        transfer = self.transfer  # reception starts the transfer step (`intake.start_transfer`)
        if transfer is not None:
            transfer.state, transfer.started_at, transfer.due_at = (
                ACTIVE,
                at,
                self.gen.fast.transfer_deadline(at),
            )

    def activate(self, stage: list[Step], at: datetime) -> None:
        """`processing.activate_steps`: every step of the stage starts at `at` with its own due moment."""
        add = self.gen.fast.add_amount
        for step in stage:
            step.state, step.started_at, step.finished_at, step.finished_by = ACTIVE, at, None, None
            step.due_at = add(at, step.duration, self.t.unit, step.micros)
        self.current_step = stage[0]

    def unactivate(self, stage: list[Step]) -> None:
        for step in stage:
            step.state, step.started_at, step.due_at = PENDING, None, None

    def process(self) -> None:
        rng, rates, gen = self.rng, self.gen.rates, self.gen
        received_at = self.received_at
        assert received_at is not None  # the clock started (`start_clock`)
        transfer, stages = self.transfer, self.stages
        if transfer is not None and transfer.due_at is not None and rng.random() < rates.late_transfer:
            at = gen.later(transfer.due_at, rng.uniform(0.5, 12))  # handed over after the transfer deadline
        else:
            at = gen.later(received_at, rng.uniform(0.05, 1.5))
        if transfer is not None:
            transfer.state, transfer.finished_at, transfer.finished_by = DONE, at, self.counter[0]
        self.activate(stages[0], at)
        if not self.emit(
            Act.START_PROCESSING.value, at, self.counter, PROCESSING, data=handed_over(transfer, stages[0])
        ):
            if transfer is not None:
                transfer.state, transfer.finished_at, transfer.finished_by = ACTIVE, None, None
            self.unactivate(stages[0])
            self.current_step = None
            return
        fate = rng.random()
        slow_stage = self.t.slow_stage if rng.random() < rates.slow_step else -1
        consulted = -1  # the stage whose step asks another agency's opinion
        if rng.random() < rates.consultation:
            eligible = [i for i, st in enumerate(stages) if len(st) == 1 and not st[0].is_approval]
            consulted = rng.choice(eligible) if eligible else -1
        for index, stage in enumerate(stages):
            lead = stage[0]
            if index == 0:
                specialist = gen.officer(lead.unit, Role.SPECIALIST)
                share = self.share(lead)
                started_at = lead.started_at
                assert started_at is not None  # activated above
                if fate < rates.withdrawn:
                    if self.emit(
                        Act.WITHDRAW.value,
                        gen.later(started_at, share * rng.random()),
                        self.counter,
                        WITHDRAWN,
                        "Công dân xin rút hồ sơ",
                    ):
                        self.closed_at = self.last
                    return
                if fate < rates.withdrawn + rates.refused:
                    at = gen.later(started_at, share * rng.uniform(0.2, 0.9))
                    if self.emit(Act.REFUSE.value, at, specialist, STOPPED, "Không đủ điều kiện giải quyết"):
                        self.ended_at = at
                        self.return_result(at)
                    return
                if rng.random() < rates.supplement and not self.supplement(stage, specialist, share):
                    return
            # Each step of the stage ends on its own (one agency may overrun its share); the next stage starts
            # when the last one ends.
            slow = rng.randrange(len(stage)) if index == slow_stage else -1
            finishes = []
            for k, step in enumerate(stage):
                factor = rng.uniform(1.2, 2.5) if k == slow else rng.uniform(0.15, 0.95)
                started_at = step.started_at  # the supplement may have restarted the stage
                assert started_at is not None  # activated by the previous stage's end
                finishes.append((gen.later(started_at, self.share(step) * factor), k, factor))
            if index == consulted:
                finish, k, factor = finishes[0]
                finishes[0] = (self.consult(lead, finish), k, factor)
            finishes.sort()
            following = stages[index + 1] if index + 1 < len(stages) else None
            for n, (finish, k, factor) in enumerate(finishes):
                step = stage[k]
                specialist = gen.officer(step.unit, Role.SPECIALIST)
                if (
                    factor > 1
                    and rng.random() < rates.apology
                    and not self.apologise(step, specialist, finish)
                ):
                    return
                if step.is_approval:
                    act, actor = Act.APPROVE.value, gen.officer(step.unit, Role.UNIT_LEADER)
                else:
                    act, actor = Act.COMPLETE_STEP.value, specialist
                step.state, step.finished_at, step.finished_by = DONE, finish, actor[0]
                started: list[Step] = []
                if n < len(finishes) - 1:  # the stage goes on: its first step still under way is current
                    self.current_step = next(s for s in stage if s.state == ACTIVE)
                elif following is not None:
                    self.activate(following, finish)
                    started = following
                else:
                    self.current_step = step
                if not self.emit(act, finish, actor, None, data=handed_over(step, started)):
                    step.state, step.finished_at, step.finished_by = ACTIVE, None, None
                    if started:
                        self.unactivate(started)
                    self.current_step = next(s for s in stage if s.state == ACTIVE)
                    return
        last = self.steps[-1]
        at = self.last + timedelta(minutes=rng.randint(1, 30))
        if self.emit(Act.ISSUE_RESULT.value, at, gen.officer(last.unit, Role.UNIT_LEADER), FINISHED):
            self.ended_at = at
            self.return_result(at)

    def consult(self, step: Step, finish: datetime) -> datetime:
        """The step's officer asks another agency's opinion (`consultations.consult`), due in a few working
        days; the answer comes (on time, or late) and the step ends after it: its new end."""
        rng, gen = self.rng, self.gen
        started_at = step.started_at
        assert started_at is not None  # the active step
        unit = rng.choice(gen.consultable)
        if unit.pk == step.unit.pk:
            return finish
        asker = gen.officer(step.unit, Role.SPECIALIST)
        asked = max(self.last, gen.later(started_at, self.share(step) * rng.uniform(0.02, 0.1)))
        days = rng.choice((3, 5, 5, 7, 10))
        due = gen.fast.add_amount(asked, days, "working_days")
        pk = next(gen.ids[Consultation])
        asked_data = json.dumps(ConsultationAsked(pk, unit.name, due).to_data())
        if not self.emit(Act.CONSULT.value, asked, asker, None, CONSULT_CONTENT, asked_data):
            return finish
        late = rng.random() < gen.rates.consultation_late
        hours = gen.hours_between(asked, due)
        answered = (
            gen.later(due, rng.uniform(1, 40)) if late else gen.later(asked, hours * rng.uniform(0.1, 0.95))
        )
        answerer = gen.officer(unit, Role.SPECIALIST)
        answer_data = json.dumps(ConsultationAnswered(pk, answered > due).to_data())
        ok = self.emit(Act.ANSWER_CONSULTATION.value, answered, answerer, None, ANSWER_TEXT, answer_data)
        waited = answered if ok else self.until
        alert = due + LATE_ALERT_AFTER
        self.batch.consultations.append(
            (
                pk,
                self.pk,
                step.pk,
                step.unit.pk,
                unit.pk,
                CONSULT_CONTENT,
                asker[0],
                asked,
                days,
                due,
                ANSWER_TEXT if ok else "",
                answerer[0] if ok else None,
                answered if ok else None,
                None,
                alert if alert < waited else None,
            )
        )
        return max(finish, gen.later(answered, rng.uniform(0.5, 8)))

    def share(self, step: Step) -> float:
        """The step's share of the time limit, in working hours."""
        started_at, due_at = step.started_at, step.due_at
        assert started_at is not None and due_at is not None  # an active step
        return self.gen.hours_between(started_at, due_at)

    def return_result(self, ended: datetime) -> None:
        at = self.gen.later(ended, self.rng.uniform(0.5, 24))
        if self.emit(Act.RETURN_RESULT.value, at, self.counter, RETURNED):
            self.returned_at = self.closed_at = at

    def supplement(self, stage: list[Step], specialist: Officer, share: float) -> bool:
        """Form 02 then, mostly, the completed dossier (the clock restarts, the stage's steps restart with
        it); False when the story ends."""
        gen = self.gen
        step = stage[0]
        started_at = step.started_at
        assert started_at is not None  # the active step
        at = gen.later(started_at, share * self.rng.uniform(0.1, 0.6))
        missing = ["Bản sao giấy tờ chứng minh nhân thân"]
        reason = "Thành phần hồ sơ chưa đầy đủ"
        window = current_calendar().office_hours.hours_per_day * clock.SUPPLEMENT_WINDOW_WORKING_DAYS
        in_time = self.clock_started_at is not None and gen.hours_between(self.clock_started_at, at) <= window
        request = SupplementRequested(
            tuple(SupplementItem(name) for name in missing), within_legal_window=in_time
        )
        data = json.dumps(request.to_data())
        if not self.emit(Act.REQUEST_SUPPLEMENT.value, at, specialist, SUPPLEMENT_REQUESTED, reason, data):
            return False
        self.supplement_requests = 1
        judged_before = self.judged_at
        pause_id = next(gen.ids[ClockPause])
        ended = None
        back = gen.later(at, self.rng.uniform(4, 60))
        try:
            if self.rng.random() < gen.rates.supplement_abandoned:
                if self.emit(
                    Act.WITHDRAW.value, back, self.counter, WITHDRAWN, "Công dân không bổ sung, xin rút hồ sơ"
                ):
                    ended = self.closed_at = back
                return False
            if back > gen.until:
                return False
            ended = back
            self.clock_started_at = gen.fast.start_of_clock(back, paper=self.channel != "online")
            self.appointment_at = self.appointment_from(self.clock_started_at)
            self.original_appointment_at = self.judged_at = self.appointment_at
            self.activate(stage, self.clock_started_at)
            return self.emit(Act.COMPLETE_SUPPLEMENT.value, back, self.counter, PROCESSING)
        finally:
            self.batch.pauses.append(
                (
                    pause_id,
                    self.pk,
                    SUPPLEMENT,
                    at,
                    ended,
                    reason,
                    json.dumps(missing),
                    specialist[0],
                    step.pk,
                    judged_before,
                )
            )

    def apologise(self, step: Step, actor: Officer, finish: datetime) -> bool:
        """The apology letter with a new date, issued before the due date when possible."""
        gen = self.gen
        notice = self.rng.uniform(-2, 16)  # working hours before the appointment (negative: too late)
        started_at, previous = step.started_at, self.appointment_at
        assert started_at is not None and previous is not None  # the active step of a received dossier
        at = max(self.last + timedelta(minutes=1), gen.later(started_at, 0.5))
        before = gen.hours_between(at, previous)
        if before > notice:
            at = gen.later(at, before - notice)
        if at >= finish:
            return True
        new = gen.fast.add_amount(previous, self.rng.randint(2, 5), "working_days")
        data = json.dumps(Rescheduled(new.astimezone(TZ)).to_data())
        reason = "Cần xác minh thêm thông tin"
        if not self.emit(Act.RESCHEDULE.value, at, actor, None, reason, data):
            return False
        lawful = clock.apology_is_lawful(at, previous)
        self.batch.reschedules.append(
            (
                next(gen.ids[Reschedule]),
                self.pk,
                previous,
                new,
                reason,
                at,
                actor[0],
                step.unit.pk,
                step.pk,
                lawful,
            )
        )
        self.appointment_at = new
        if lawful:
            self.judged_at = new
        return True


_UNITS, _DOSSIERS, _CONSULTATIONS = (m._meta.db_table for m in (DossierUnit, Dossier, Consultation))
CONSULTED_UNITS = f"""
INSERT INTO {_UNITS} (dossier_id, unit_id, open)
SELECT DISTINCT c.dossier_id, c.consulted_unit_id, d.closed_at IS NULL
FROM {_CONSULTATIONS} c JOIN {_DOSSIERS} d ON d.id = c.dossier_id
WHERE c.id >= %s AND NOT EXISTS (
    SELECT 1 FROM {_UNITS} u WHERE u.dossier_id = c.dossier_id AND u.unit_id = c.consulted_unit_id
)
"""
PIPELINE_FROM = 100_000  # dossiers from which the simulation runs in a second process (PostgreSQL)
_inherited: list[object] = []


def handed_over(done: Step | None, started: list[Step]) -> str:
    """The `HandedOver` payload of a hand-over act, as JSON text."""
    to = ", ".join(str(step.pk) for step in started)
    return f'{{"from_step": {done.pk if done is not None else "null"}, "to_steps": [{to}]}}'


def _write(batch: Batch, made: int, progress: Progress | None) -> None:
    batch.write()
    if progress:
        progress(made)


class _generator_lock:
    """On PostgreSQL, a session advisory lock: one generator at a time allocates primary keys."""

    def __enter__(self) -> Self:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK])
        return self

    def __exit__(self, *exc: object) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def generate(
    *, dossiers: int, seed: int, since: date, until: datetime | None = None, progress: Progress | None = None
) -> int:
    gen = Generator(seed=seed, since=since, until=until or timezone.now())
    return gen.run(dossiers, progress=progress)
