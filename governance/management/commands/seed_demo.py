"""Demo data: one user per role, organisations, contacts and a portfolio of contracts
with their history, then the daily sweep for today, so the demo opens on what a real
morning looks like: this quarter's returns open, alerts raised, notifications waiting.
``--scale N`` adds volume for the benchmark, which times the sweep itself.

One run makes the whole demo; running it again changes nothing (records are found by
their natural keys and left as they are; a demo password that no longer matches
DEMO_PASSWORD is reset)."""

import contextlib
import datetime
import os

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from contracts.performance.models.returns import ReportingPeriod
from contracts.procurement.payments.demo import seed_invoices
from contracts.procurement.performance.demo import seed_performance
from contracts.register.choices import ContactRole, OrganisationKind
from contracts.register.models.contracts import Contract
from contracts.register.models.organisations import Contact, Organisation
from governance.core.models.alerts import Alert, Notification
from governance.core.models.base import User
from governance.core.roles import Role
from governance.core.services.alerts import daily_sweep
from governance.dashboard import status as overall_status
from governance.demo import contracts as demo
from governance.demo import quarterly as demo_quarterly
from governance.demo.disputes import seed_disputes
from governance.demo.exit import seed_exit
from governance.demo.healthchecks import seed_health_checks
from governance.demo.procurement import seed_procurement

DEFAULT_DEMO_PASSWORD = "demo-governance-2026"
DEMO_NAMES = ("manager", "deputy", "pdm", "smg", "smg2", "auditor", "provider", "admin")

COMMISSIONER = {
    "name": "Office of the Police and Crime Commissioner for Northshire",
    "kind": OrganisationKind.COMMISSIONER,
    "address": "Police Headquarters\nCastle Street\nNorthtown\nNT1 1AA",
    "email": "commissioning@northshire-pcc.example.org",
    "telephone": "01632 960000",
    "website": "https://www.northshire-pcc.example.org",
}

PROVIDERS = [
    {
        "name": "Northshire Victim Care CIC",
        "companies_house_number": "09876543",
        "address": "12 Mill Lane\nNorthtown\nNT2 4BB",
        "email": "office@victimcare.example.org",
        "telephone": "01632 960101",
        "notes": "Community interest company running the victims' referral and support hub.",
        "contacts": [
            ("Priya Shah", "Service Director", ContactRole.CONTRACT_MANAGER, "p.shah"),
            ("Tom Evans", "Chief Executive", ContactRole.ESCALATION, "t.evans"),
            ("Helen Brooks", "Chair of Trustees", ContactRole.SENIOR_RESPONSIBLE, "h.brooks"),
        ],
    },
    {
        "name": "Safer Futures Trust",
        "companies_house_number": "04567123",
        "charity_number": "1104567",
        "address": "The Old Library\nHigh Street\nSouthbridge\nSB1 2CC",
        "email": "contracts@saferfutures.example.org",
        "telephone": "01632 960202",
        "notes": "Charity delivering domestic abuse outreach and refuge services.",
        "contacts": [
            ("Grace Okafor", "Head of Partnerships", ContactRole.CONTRACT_MANAGER, "g.okafor"),
            ("Daniel Reid", "Director of Operations", ContactRole.ESCALATION, "d.reid"),
        ],
    },
    {
        "name": "Brightline Digital Services Ltd",
        "companies_house_number": "11223344",
        "address": "Unit 4, Riverside Business Park\nNorthtown\nNT5 6DD",
        "email": "accounts@brightline.example.com",
        "telephone": "01632 960303",
        "notes": "Managed IT services: service desk, network and case-management hosting.",
        "contacts": [
            ("Sam Patel", "Account Manager", ContactRole.CONTRACT_MANAGER, "s.patel"),
            ("Laura Kim", "Managing Director", ContactRole.ESCALATION, "l.kim"),
            ("Owen Hughes", "Finance Manager", ContactRole.FINANCE, "o.hughes"),
        ],
    },
    {
        "name": "Castle Facilities Management Ltd",
        "companies_house_number": "07654321",
        "address": "Castle House\nStation Road\nEastford\nEF3 7EE",
        "email": "service@castlefm.example.com",
        "telephone": "01632 960404",
        "notes": "Cleaning, maintenance and security of commissioner premises.",
        "contacts": [
            ("Nadia Ali", "Contract Lead", ContactRole.CONTRACT_MANAGER, "n.ali"),
            ("Peter Walsh", "Regional Director", ContactRole.ESCALATION, "p.walsh"),
        ],
    },
]

DEMO_USERS = [
    ("manager", "Morgan", "Lee", "Contract Manager", [Role.CONTRACT_MANAGER], False),
    ("deputy", "Dana", "Price", "Deputy Contract Manager", [Role.CONTRACT_MANAGER], False),
    ("pdm", "Pat", "Morris", "Policy Development Manager", [Role.PDM], False),
    ("smg", "Sandra", "Grey", "Chief Executive (SMG)", [Role.SMG], False),
    # A second SMG member: what one member records, another confirms.
    ("smg2", "Rowan", "Hughes", "Director of Commissioning (SMG)", [Role.SMG], False),
    ("auditor", "Alex", "Turner", "Internal Auditor", [Role.AUDITOR], False),
    ("provider", "Priya", "Shah", "Service Director", [Role.PROVIDER], False),
    ("admin", "Ash", "Khan", "Systems Administrator", [Role.ADMINISTRATOR], True),
]


#: Email backends that neither print nor deliver: the demo's sweep uses them as they are.
FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
KEPT_EMAIL_BACKENDS = (
    FILE_EMAIL_BACKEND,
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


def _domain(organisation: Organisation) -> str:
    return organisation.email.split("@", 1)[1] if organisation.email else "example.org"


class Command(BaseCommand):
    help = (
        "Create the demo: a user for every role, organisations and a portfolio of contracts "
        "with their history, then run today's daily sweep. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Also generate N contracts' worth of records for benchmarks.",
        )
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000/",
            help="Where the service is served, for the sign-in line printed at the end.",
        )

    def handle(self, *args, scale=0, **options):
        today = timezone.localdate()
        # Each contract's overall status is worked out once, when its records are all in.
        with transaction.atomic(), overall_status.deferred():
            users = self.seed_demo(today)
            if scale:
                self.seed_volume(scale, users, today)
        if scale:
            self.stdout.write(
                "Daily sweep: not run with --scale; the benchmark times it "
                "(or run manage.py run_sweep)."
            )
        else:
            self.sweep(today)
        self.summary()
        self.report(options.get("address") or "http://127.0.0.1:8000/")

    def seed_demo(self, today: datetime.date) -> dict[str, User]:
        """Every demo record, in an order where nothing made later is one an earlier
        step would have filled in: all contracts exist before the quarterly history is
        written for the live ones."""
        self.admin_user = self.seed_users_first_pass()
        organisations = self.seed_organisations()
        self.seed_users(organisations)
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_NAMES)}
        added = demo.seed_portfolio(users=users, today=today)
        exits = seed_exit(users=users, today=today)
        procured = seed_procurement(users=users, today=today)
        self.stdout.write(f"Contracts under the Procurement Act 2023: {procured} added.")
        self.stdout.write(
            f"Contracts: {added + exits} added ({exits} for exit planning), "
            f"{Contract.objects.count()} in all."
        )
        filled = demo_quarterly.seed_quarterly(users=users, today=today)
        self.stdout.write(f"Quarterly returns: {filled} past quarters filled in.")
        risks = demo_quarterly.seed_risks(users=users, today=today)
        self.stdout.write(f"Risks: {risks} added.")
        contacts = demo_quarterly.seed_contact_log(today=today)
        self.stdout.write(f"Contact log: {contacts} entries added.")
        checks = seed_health_checks(users=users, today=today)
        self.stdout.write(f"Health checks: {checks} added.")
        disputes = seed_disputes(users=users, today=today)
        self.stdout.write(f"Disputes: {disputes} added.")
        invoices = seed_invoices(today=today)
        self.stdout.write(f"Invoices: {invoices} added.")
        assessments = seed_performance(users=users, today=today)
        self.stdout.write(f"KPI performance assessments: {assessments} started.")
        return users

    def seed_volume(self, scale: int, users: dict[str, User], today: datetime.date) -> None:
        self.seed_scale(scale)
        contracts = demo.seed_scale(count=scale, actor=users["manager"])
        self.stdout.write(f"Scale {scale}: {contracts} benchmark contracts added with KPIs.")
        volume = demo.seed_scale_records(actor=users["manager"], today=today)
        self.stdout.write(
            f"Scale {scale}: {volume['periods']} quarters, {volume['results']} KPI results, "
            f"{volume['risks']} risks and {volume['contact_log']} contact-log entries added."
        )
        # The benchmark contracts are written in bulk, past the signals that keep each
        # contract's overall status: store them all now, as the sweep would.
        stored = overall_status.refresh_all(today)
        self.stdout.write(f"Scale {scale}: {stored} overall statuses stored.")

    def sweep(self, today: datetime.date) -> None:
        """This morning's sweep, as Celery beat would have run it. The demo's addresses
        are not real mailboxes: emails go to files (or wherever a test or file backend
        already sends them), never to the terminal or a mail server."""
        with self.demo_mailbox() as where:
            result = daily_sweep(today=today)
        self.stdout.write(
            f"Daily sweep for {today:%-d %B %Y}: {result.raised} alerts raised, "
            f"{result.notifications} notifications, {result.emails_sent} emails {where}."
        )

    @contextlib.contextmanager
    def demo_mailbox(self):
        if settings.EMAIL_BACKEND in KEPT_EMAIL_BACKENDS:
            yield "sent"
            return
        with override_settings(EMAIL_BACKEND=FILE_EMAIL_BACKEND):
            yield f"written to {settings.EMAIL_FILE_PATH}"

    def summary(self) -> None:
        self.stdout.write(
            f"In all: {User.objects.count()} users, {Contract.objects.count()} contracts, "
            f"{ReportingPeriod.objects.count()} reporting periods, "
            f"{Alert.objects.count()} alerts and {Notification.objects.count()} notifications."
        )

    def seed_users_first_pass(self) -> User:
        user, _ = User.objects.get_or_create(
            username="admin", defaults={"first_name": "Ash", "last_name": "Khan"}
        )
        return user

    def save(self, instance, reason: str):
        instance._history_user = self.admin_user
        instance._change_reason = reason
        instance.full_clean()
        instance.save()
        return instance

    def seed_organisations(self) -> dict[str, Organisation]:
        found = {}
        commissioner = Organisation.objects.filter(name=COMMISSIONER["name"]).first()
        if commissioner is None:
            commissioner = self.save(Organisation(**COMMISSIONER), "Demo data")
        found["commissioner"] = commissioner
        for spec in PROVIDERS:
            spec = dict(spec)
            contacts = spec.pop("contacts")
            organisation = Organisation.objects.filter(name=spec["name"]).first()
            if organisation is None:
                organisation = self.save(
                    Organisation(kind=OrganisationKind.PROVIDER, **spec), "Demo data"
                )
            for name, title, role, mailbox in contacts:
                email = f"{mailbox}@{_domain(organisation)}"
                if not Contact.objects.filter(organisation=organisation, email=email).exists():
                    self.save(
                        Contact(
                            organisation=organisation,
                            name=name,
                            job_title=title,
                            role=role,
                            email=email,
                            telephone=organisation.telephone,
                        ),
                        "Demo data",
                    )
            found[spec["name"]] = organisation
        return found

    def seed_users(self, organisations) -> None:
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        groups = {role: Group.objects.get(name=role.label) for role in Role}
        provider_org = organisations[PROVIDERS[0]["name"]]
        for username, first, last, title, roles, staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            wanted = {
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "email": f"{username}@northshire-pcc.example.org",
                "is_staff": staff,
                "organisation_id": None,
            }
            if Role.PROVIDER in roles:
                wanted["organisation_id"] = provider_org.pk
                wanted["email"] = f"p.shah@{_domain(provider_org)}"
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            for field in changed:
                setattr(user, field, wanted[field])
            # No setter: checking must not rehash, or every run would rewrite the user.
            if not check_password(password, user.password, setter=None):
                user.set_password(password)
                changed.append("password")
            if changed:
                user._history_user = self.admin_user
                user._change_reason = "Demo data"
                user.save()
            user.groups.set([groups[role] for role in roles])
        self.password = password
        self.password_is_default = not os.environ.get("DEMO_PASSWORD")

    def seed_scale(self, scale: int) -> None:
        """Providers hold several contracts each: one provider, with four contacts,
        for every three contracts' worth asked for."""
        wanted = max(1, -(-scale // 3))
        existing = set(
            Organisation.objects.filter(name__startswith="Benchmark Provider ").values_list(
                "name", flat=True
            )
        )
        new_orgs = []
        for number in range(1, wanted + 1):
            name = f"Benchmark Provider {number:05d} Ltd"
            if name not in existing:
                new_orgs.append(
                    Organisation(
                        name=name,
                        kind=OrganisationKind.PROVIDER,
                        companies_house_number=f"{90000000 + number:08d}",
                        email=f"office@provider{number:05d}.example.com",
                        telephone="01632 960999",
                        address=f"{number} Commerce Way\nNorthtown\nNT9 9ZZ",
                    )
                )
        # Bulk creation for volume: history rows are written in bulk as well.
        from simple_history.utils import bulk_create_with_history

        created = bulk_create_with_history(
            new_orgs,
            Organisation,
            batch_size=500,
            default_user=self.admin_user,
            default_change_reason="Benchmark data",
        )
        roles = [
            ContactRole.CONTRACT_MANAGER,
            ContactRole.ESCALATION,
            ContactRole.FINANCE,
            ContactRole.OPERATIONS,
        ]
        contacts = [
            Contact(
                organisation=org,
                name=f"{role.label} {org.pk}",
                job_title=role.label,
                role=role,
                email=f"{role.value}@{_domain(org)}",
            )
            for org in created
            for role in roles
        ]
        bulk_create_with_history(
            contacts,
            Contact,
            batch_size=1000,
            default_user=self.admin_user,
            default_change_reason="Benchmark data",
        )
        self.stdout.write(
            f"Scale {scale}: {len(created)} providers and {len(contacts)} contacts added "
            f"({len(existing)} providers were already there)."
        )

    def report(self, address: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Sign in at {address} as:"))
        for username, *_, roles, _staff in DEMO_USERS:
            labels = ", ".join(role.label for role in roles)
            self.stdout.write(f"  {username:<9} {labels}")
        if self.password_is_default:
            self.stdout.write(
                f"Password for every demo user: {self.password} (set DEMO_PASSWORD to change it)"
            )
        else:
            self.stdout.write("Password for every demo user: the value of DEMO_PASSWORD")
