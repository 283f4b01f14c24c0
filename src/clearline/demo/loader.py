"""The demo organisation: a New York VCE with hours, staff of each role and realistic cases in en/es/ro."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clearline.accounts.models import Role, Staff
from clearline.accounts.services import create_staff, record_training
from clearline.cases import services
from clearline.cases.models import Visibility
from clearline.channels.email.dkim_keys import create_dkim_key
from clearline.channels.voice.models import PhoneLine
from clearline.compliance import registers
from clearline.kb import services as kb
from clearline.kb.models import Category
from clearline.notices import services as notices
from clearline.org.models import Organisation

from . import faq

STAFF = [
    ("admin@{domain}", Role.ADMIN, "Avery Admin", ["en"]),
    ("supervisor@{domain}", Role.SUPERVISOR, "Sam Supervisor", ["en", "es"]),
    ("agent.en@{domain}", Role.AGENT, "Alex Agent", ["en"]),
    ("agent.es@{domain}", Role.AGENT, "Lucía Agente", ["es", "en"]),
    ("agent.ro@{domain}", Role.AGENT, "Andrei Agent", ["ro", "en"]),
    ("compliance@{domain}", Role.COMPLIANCE, "Casey Compliance", ["en"]),
    ("examiner@{domain}", Role.EXAMINER, "Erin Examiner", ["en"]),
]

# (language, topic, method, subject, body, segment)
CASES = [
    (
        "en",
        "withdrawal_delayed",
        "email",
        "BTC withdrawal pending",
        "My BTC withdrawal from Monday is still pending. Can you tell me when it will be sent?",
        "individual",
    ),
    (
        "en",
        "deposit_not_credited",
        "in_app",
        "USDC deposit not showing",
        "I deposited 250 USDC on Ethereum two hours ago, txid 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060, and it is not in my balance.",
        "individual",
    ),
    (
        "en",
        "account_access",
        "phone_live",
        "Lost 2FA phone",
        "I lost my phone with the authenticator app and cannot log in. How do I reset 2FA?",
        "individual",
    ),
    (
        "en",
        "fees",
        "email",
        "Withdrawal fee too high",
        "Your withdrawal fee is outrageous, it was three times what your website says. This is unacceptable and I want a refund.",
        "individual",
    ),
    (
        "en",
        "unauthorized_transaction",
        "phone_live",
        "Withdrawal I did not make",
        "There is a withdrawal of 0.8 ETH I did not make. Please freeze my account now.",
        "individual",
    ),
    (
        "en",
        "fraud_scam",
        "web_form",
        "Fake support account on Telegram",
        "Someone pretending to be your support on Telegram asked me for my recovery phrase. I did not give it. Reporting it.",
        "individual",
    ),
    (
        "en",
        "staking_rewards",
        "email",
        "Missing staking rewards",
        "I have not received staking rewards for SOL for the last two weeks. Can you check?",
        "individual",
    ),
    (
        "en",
        "account_restriction",
        "email",
        "Account frozen without explanation",
        "My account was frozen with no explanation for ten days. Nobody answers my emails. I will file a complaint with the NYDFS.",
        "individual",
    ),
    (
        "en",
        "tax_documents",
        "web_form",
        "1099 form",
        "Where can I download my 1099-DA for last year?",
        "individual",
    ),
    (
        "en",
        "trading",
        "chat_human",
        "Limit order not filled",
        "My limit order at 61,000 was not filled even though the price went below it. Why?",
        "individual",
    ),
    (
        "en",
        "identity_verification",
        "in_app",
        "KYC stuck in review",
        "My identity verification has been in review for five days. Is anything missing?",
        "individual",
    ),
    (
        "en",
        "transaction_failed",
        "email",
        "Stuck transaction",
        "My Solana transfer shows as failed but the SOL left my balance. Please help.",
        "individual",
    ),
    (
        "en",
        "wrong_network_or_memo",
        "email",
        "Forgot XRP destination tag",
        "I sent XRP without the destination tag. Can you recover it?",
        "individual",
    ),
    (
        "en",
        "service_quality",
        "phone_voicemail",
        "Rude agent",
        "The agent I spoke to yesterday was rude and hung up on me. Terrible service.",
        "individual",
    ),
    (
        "en",
        "other",
        "post",
        "Letter regarding estate account",
        "I am writing on behalf of my late father's estate to ask how to access his account.",
        "individual",
    ),
    (
        "en",
        "withdrawal_delayed",
        "regulator_dfs",
        "DFS referral: withdrawal delay",
        "Consumer states a withdrawal of 2 BTC has been on hold for 3 weeks without explanation.",
        "individual",
    ),
    (
        "en",
        "fees",
        "email",
        "Institutional fee schedule",
        "Please send the updated fee schedule for our OTC desk account.",
        "institutional",
    ),
    (
        "en",
        "deposit_not_credited",
        "email",
        "Wire for treasury account",
        "Our treasury wire of USD 2,000,000 has not been credited.",
        "institutional",
    ),
    (
        "es",
        "withdrawal_delayed",
        "email",
        "Retiro pendiente",
        "Hola, mi retiro de USDT sigue pendiente desde ayer. ¿Me pueden decir cuándo se enviará?",
        "individual",
    ),
    (
        "es",
        "deposit_not_credited",
        "in_app",
        "Depósito no acreditado",
        "Deposité 0,05 BTC hace tres horas y todavía no aparece en mi saldo.",
        "individual",
    ),
    (
        "es",
        "account_access",
        "chat_human",
        "No puedo entrar",
        "No puedo iniciar sesión, perdí mi teléfono con el código 2FA. ¿Qué debo hacer?",
        "individual",
    ),
    (
        "es",
        "fees",
        "email",
        "Comisión abusiva",
        "Es inaceptable, me cobraron una comisión que no aparece en su web. Quiero presentar una queja formal.",
        "individual",
    ),
    (
        "es",
        "fraud_scam",
        "web_form",
        "Estafa por WhatsApp",
        "Un estafador por WhatsApp se hizo pasar por ustedes. Les aviso para que alerten a otros clientes.",
        "individual",
    ),
    (
        "es",
        "account_restriction",
        "email",
        "Cuenta bloqueada",
        "Llevo dos semanas con la cuenta bloqueada y nadie responde. Es una vergüenza.",
        "individual",
    ),
    (
        "es",
        "staking_rewards",
        "in_app",
        "Recompensas de staking",
        "¿Cuándo se pagan las recompensas de staking de ETH?",
        "individual",
    ),
    (
        "es",
        "identity_verification",
        "email",
        "Verificación rechazada",
        "Mi verificación de identidad fue rechazada. ¿Qué documento necesitan?",
        "individual",
    ),
    (
        "ro",
        "withdrawal_delayed",
        "email",
        "Retragere în așteptare",
        "Bună ziua, retragerea mea de ETH este în așteptare de ieri. Când va fi procesată?",
        "individual",
    ),
    (
        "ro",
        "deposit_not_credited",
        "in_app",
        "Depunere necreditată",
        "Am depus 100 USDT pe rețeaua Tron acum două ore și nu apar în cont.",
        "individual",
    ),
    (
        "ro",
        "account_access",
        "phone_live",
        "Nu mă pot autentifica",
        "Am pierdut telefonul cu aplicația de autentificare și nu mă pot conecta. Cum resetez 2FA?",
        "individual",
    ),
    (
        "ro",
        "fees",
        "email",
        "Comision nejustificat",
        "Este inacceptabil, mi-ați luat un comision mai mare decât cel afișat. Vreau banii înapoi, altfel fac reclamație la ANPC.",
        "individual",
    ),
    (
        "ro",
        "account_restriction",
        "email",
        "Cont blocat",
        "Contul meu este blocat de trei săptămâni și nimeni nu răspunde. Este o bătaie de joc.",
        "individual",
    ),
    (
        "ro",
        "tax_documents",
        "web_form",
        "Documente fiscale",
        "Unde pot descărca raportul anual de tranzacții pentru declarația fiscală?",
        "individual",
    ),
    (
        "ro",
        "trading",
        "chat_human",
        "Ordin neexecutat",
        "Ordinul meu de vânzare nu a fost executat deși prețul a atins limita. De ce?",
        "individual",
    ),
    (
        "ro",
        "staking_rewards",
        "email",
        "Recompense staking",
        "Nu am primit recompensele de staking pentru DOT luna aceasta. Puteți verifica?",
        "individual",
    ),
]


@dataclass(frozen=True)
class DemoCredentials:
    email: str
    role: str
    password: str


def is_loaded() -> bool:
    return Organisation.objects.exists()


@transaction.atomic
def load_demo() -> list[DemoCredentials]:
    domain = settings.SUPPORT_DOMAIN
    Organisation.objects.create(
        name="Hudson Digital Assets (demo)",
        timezone="America/New_York",
        support_phone="+1 212 555 0142",
        support_email=f"support@{domain}",
        complaint_mailing_address="Hudson Digital Assets, Complaints Unit, 100 Demo Street, New York, NY 10004",
        complaint_email=f"complaints@{domain}",
        complaint_phone="+1 212 555 0143",
        website=f"https://{domain}",
        extra_disclosure=(
            "Hudson Digital Assets LLC is licensed to engage in virtual currency business activity by the New "
            "York State Department of Financial Services (demo licence)."
        ),
    )
    # The published number, answered in the support hours in en/es/ro; voicemail outside them (DFS-08, DFS-10).
    PhoneLine.objects.create(number="+12125550142", label="Customer support")
    create_dkim_key(domain, selector="demo")  # the outbox shows mail as it would leave: DKIM-signed
    load_faq()
    credentials: list[DemoCredentials] = []
    staff_by_role: dict[str, list[Staff]] = {}
    today = timezone.localdate()
    for template, role, name, languages in STAFF:
        password = secrets.token_urlsafe(12)
        staff, _ = create_staff(
            email=template.format(domain=domain), role=role, password=password, display_name=name
        )
        Staff.objects.filter(pk=staff.pk).update(languages=languages)
        if role in (Role.AGENT, Role.SUPERVISOR):
            record_training(
                staff,
                course="HCSR customer-service and complaints training",
                completed_on=today - timedelta(days=60),
                expires_on=today + timedelta(days=305),
            )
        staff_by_role.setdefault(role, []).append(staff)
        credentials.append(DemoCredentials(staff.email, role, password))
    _load_cases(staff_by_role)
    _load_notices(staff_by_role[Role.SUPERVISOR][0])
    _load_registers(officer=staff_by_role[Role.COMPLIANCE][0], approver=staff_by_role[Role.ADMIN][0])
    return credentials


COMPLAINT_PROCEDURE = """We want every complaint resolved fairly and quickly.

1. **Tell us** by the online complaint form, email, phone or post (the addresses are at the foot of every page).
2. **We acknowledge at once** with a case reference and the date by which a person will answer.
3. **We investigate**: a trained complaints handler who was not involved reviews the facts, the transaction
   records and our policies, and keeps you informed at least every five business days.
4. **We answer in writing** with our decision and, when we cannot give you everything you asked for, the
   reasons and what you can do next.
5. **If you are not satisfied**, you may also take your complaint to the New York State Department of
   Financial Services, whose contact details are at the foot of every page.
"""


def _load_registers(*, officer: Staff, approver: Staff) -> None:
    """The complaint procedure (approved, published) and an accountable owner, so the registers validate."""
    policy = registers.create_policy(
        key="complaint-procedure",
        title="How we handle complaints",
        tags=["complaints", "customer_service"],
        is_public=True,
        owner=officer,
        by=officer,
    )
    version = registers.draft_version(
        policy,
        body=COMPLAINT_PROCEDURE,
        change_summary="First version.",
        effective_from=timezone.localdate() - timedelta(days=30),
        by=officer,
    )
    registers.approve_version(version, by=approver)
    registers.appoint(
        name="Casey Compliance",
        email=officer.email,
        role="accountable_owner",
        starts_on=timezone.localdate() - timedelta(days=365),
        by=officer,
    )


def _load_notices(supervisor: Staff) -> None:
    """A planned maintenance three days ahead, so the status page shows how notices look (DFS-22)."""
    start = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    notices.declare_notice(
        by=supervisor,
        kind="maintenance",
        titles={
            "en": "Solana node upgrade",
            "es": "Actualización de los nodos de Solana",
            "ro": "Actualizarea nodurilor Solana",
        },
        impact="maintenance",
        components=["solana"],
        topics=["deposit_not_credited", "withdrawal_delayed"],
        intake_notices={
            "en": "Solana deposits and withdrawals pause during the upgrade; they resume automatically after it.",
            "es": "Los depósitos y retiros de Solana se pausan durante la actualización; se reanudan solos después.",
            "ro": "Depunerile și retragerile Solana sunt suspendate în timpul actualizării; se reiau automat după.",
        },
        first_update={
            "en": "Solana deposits and withdrawals pause for about 30 minutes. No action is needed.",
            "es": "Los depósitos y retiros de Solana se pausan unos 30 minutos. No tiene que hacer nada.",
            "ro": "Depunerile și retragerile Solana se opresc timp de aproximativ 30 de minute. Nu trebuie să faceți nimic.",
        },
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )


def _load_cases(staff_by_role: dict[str, list[Staff]]) -> None:
    agents = staff_by_role[Role.AGENT]
    supervisor = staff_by_role[Role.SUPERVISOR][0]
    now = timezone.now()
    for index, (language, topic, method, subject, body, segment) in enumerate(CASES):
        received = now - timedelta(hours=7 * (len(CASES) - index))
        case = services.open_case(
            by=services.Author.of_staff(supervisor),
            customer_email=f"customer{index + 1}@mail.example",
            customer_segment=segment,
            subject=subject,
            body=body,
            topic=topic,
            method=method,
            language=language,
            received_at=received,
        )
        agent = next((a for a in agents if language in a.languages[:1]), agents[0])
        if index % 3 == 0:
            continue  # left new and unassigned
        services.assign_case(case, by=supervisor, assignee=agent)
        if index % 3 == 1:
            services.add_message(
                case,
                by=services.Author.of_staff(agent),
                visibility=Visibility.INTERNAL,
                body="Checked the ledger and the node; escalating to the payments team.",
            )
            services.add_message(
                case,
                by=services.Author.of_staff(agent),
                waiting_on_customer=index % 2 == 0,
                body="Thank you, we are looking into this and will update you within one business day.",
            )
        elif index % 4 == 2:
            services.resolve_case(case, by=agent, outcome="resolved", rationale="Handled as asked.")
        else:
            services.resolve_case(
                case,
                by=agent,
                outcome="partially_resolved",
                rationale="Policy allows a partial remedy only.",
                explanation="We refunded the fee we charged, but we cannot reverse a transfer already confirmed on "
                "the blockchain. If you disagree, you can reply to this message or contact the NYDFS.",
            )


def load_faq() -> None:
    """The demo FAQ in en/es/ro (also the content of the help-centre tests)."""
    categories = {
        key: Category.objects.create(key=key, names=names, position=position)
        for position, (key, names) in enumerate(faq.CATEGORIES)
    }
    for position, (slug, category, topics, texts) in enumerate(faq.ARTICLES):
        article = kb.create_article(
            slug=slug, category=categories[category], topics=topics, position=position
        )
        for language, (title, body) in texts.items():
            kb.save_article_text(article, language=language, title=title, body_markdown=body, by=None)
