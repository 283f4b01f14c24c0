# ruff: noqa: E501 - prose content, one sentence per line reads better than wrapped fragments
"""The demo FAQ: the everyday crypto questions in English, Spanish and Romanian (DFS-21, PRD-05)."""

from __future__ import annotations

CATEGORIES = [
    (
        "deposits-withdrawals",
        {"en": "Deposits and withdrawals", "es": "Depósitos y retiros", "ro": "Depuneri și retrageri"},
    ),
    (
        "account-security",
        {"en": "Account and security", "es": "Cuenta y seguridad", "ro": "Cont și securitate"},
    ),
    (
        "help-complaints",
        {"en": "Getting help and complaints", "es": "Ayuda y quejas", "ro": "Ajutor și reclamații"},
    ),
]

# slug, category, topics, {language: (title, markdown)}
ARTICLES = [
    (
        "deposit-not-credited",
        "deposits-withdrawals",
        ["deposit_not_credited", "wrong_network_or_memo"],
        {
            "en": (
                "My crypto deposit has not arrived",
                "Most deposits are credited after the network confirms them, usually within an hour.\n\n"
                "1. Check the transaction hash on a block explorer: is it **confirmed**?\n"
                "2. Check you used the **right network** and, for XRP, XLM and similar assets, the **memo or tag**.\n"
                "3. If it is confirmed and still missing after 2 hours, contact us with the transaction hash, "
                "the network and the amount. Never send us your seed phrase or private keys.",
            ),
            "es": (
                "Mi depósito de criptomonedas no ha llegado",
                "La mayoría de los depósitos se acreditan cuando la red los confirma, normalmente en menos de una hora.\n\n"
                "1. Compruebe el hash de la transacción en un explorador de bloques: ¿está **confirmada**?\n"
                "2. Compruebe que usó la **red correcta** y, para XRP, XLM y activos similares, el **memo o etiqueta**.\n"
                "3. Si está confirmada y sigue sin aparecer tras 2 horas, contáctenos con el hash, la red y el "
                "importe. Nunca nos envíe su frase semilla ni sus claves privadas.",
            ),
            "ro": (
                "Depunerea mea de criptomonede nu a sosit",
                "Majoritatea depunerilor sunt creditate după ce rețeaua le confirmă, de obicei în mai puțin de o oră.\n\n"
                "1. Verificați hash-ul tranzacției într-un explorator de blocuri: este **confirmată**?\n"
                "2. Verificați că ați folosit **rețeaua corectă** și, pentru XRP, XLM și active similare, **memo-ul "
                "sau tag-ul**.\n"
                "3. Dacă este confirmată și tot lipsește după 2 ore, contactați-ne cu hash-ul, rețeaua și suma. Nu "
                "ne trimiteți niciodată fraza seed sau cheile private.",
            ),
        },
    ),
    (
        "withdrawal-pending",
        "deposits-withdrawals",
        ["withdrawal_delayed", "transaction_failed"],
        {
            "en": (
                "Why is my withdrawal pending?",
                "Withdrawals go through security checks before they are broadcast. Most leave within 30 minutes.\n\n"
                "A withdrawal can wait longer when the network is congested, during planned maintenance (see the "
                "status page), or when we need to verify it with you. We will never ask you to pay a fee to "
                "release a withdrawal.",
            ),
            "es": (
                "¿Por qué mi retiro está pendiente?",
                "Los retiros pasan controles de seguridad antes de enviarse a la red. La mayoría sale en 30 minutos.\n\n"
                "Un retiro puede tardar más si la red está congestionada, durante un mantenimiento programado (vea "
                "la página de estado) o si necesitamos verificarlo con usted. Nunca le pediremos pagar una comisión "
                "para liberar un retiro.",
            ),
            "ro": (
                "De ce retragerea mea este în așteptare?",
                "Retragerile trec prin verificări de securitate înainte de a fi transmise. Majoritatea pleacă în 30 "
                "de minute.\n\n"
                "O retragere poate dura mai mult când rețeaua este aglomerată, în timpul unei mentenanțe planificate "
                "(vedeți pagina de stare) sau când trebuie să o verificăm cu dvs. Nu vă vom cere niciodată să plătiți "
                "o taxă pentru a elibera o retragere.",
            ),
        },
    ),
    (
        "lost-2fa",
        "account-security",
        ["account_access"],
        {
            "en": (
                "I lost access to my two-factor authentication (2FA)",
                "Contact us from the email address on your account. We will verify your identity before resetting "
                "2FA; for your safety, withdrawals stay locked for 24 hours after a reset.\n\n"
                "We will **never** ask for your 2FA codes, your password or remote access to your device.",
            ),
            "es": (
                "Perdí el acceso a mi autenticación en dos pasos (2FA)",
                "Contáctenos desde el correo electrónico de su cuenta. Verificaremos su identidad antes de "
                "restablecer el 2FA; por su seguridad, los retiros quedan bloqueados 24 horas tras el cambio.\n\n"
                "**Nunca** le pediremos sus códigos 2FA, su contraseña ni acceso remoto a su dispositivo.",
            ),
            "ro": (
                "Am pierdut accesul la autentificarea în doi pași (2FA)",
                "Contactați-ne de pe adresa de email a contului. Vă vom verifica identitatea înainte de a reseta "
                "2FA; pentru siguranța dvs., retragerile rămân blocate 24 de ore după resetare.\n\n"
                "Nu vă vom cere **niciodată** codurile 2FA, parola sau acces de la distanță la dispozitiv.",
            ),
        },
    ),
    (
        "recognise-scams",
        "account-security",
        ["fraud_scam", "unauthorized_transaction"],
        {
            "en": (
                "How to recognise a scam",
                "Scammers pretend to be our support team, an investment adviser or a government agency.\n\n"
                "- We never ask for your seed phrase, private keys, passwords or 2FA codes.\n"
                '- We never ask you to move funds to a "safe wallet" or to pay to unlock an account.\n'
                "- If you think you have been scammed, contact us at once by phone: we can freeze your account.",
            ),
            "es": (
                "Cómo reconocer una estafa",
                "Los estafadores se hacen pasar por nuestro equipo de soporte, un asesor de inversiones o una "
                "agencia del gobierno.\n\n"
                "- Nunca pedimos su frase semilla, claves privadas, contraseñas ni códigos 2FA.\n"
                '- Nunca le pedimos mover fondos a una "billetera segura" ni pagar para desbloquear una cuenta.\n'
                "- Si cree que ha sido estafado, llámenos de inmediato: podemos congelar su cuenta.",
            ),
            "ro": (
                "Cum recunoașteți o înșelătorie",
                "Escrocii se dau drept echipa noastră de asistență, un consilier de investiții sau o agenție "
                "guvernamentală.\n\n"
                "- Nu cerem niciodată fraza seed, cheile private, parolele sau codurile 2FA.\n"
                "- Nu vă cerem niciodată să mutați fonduri într-un „portofel sigur” sau să plătiți pentru deblocarea "
                "contului.\n"
                "- Dacă credeți că ați fost înșelat, sunați-ne imediat: vă putem îngheța contul.",
            ),
        },
    ),
    (
        "make-a-complaint",
        "help-complaints",
        ["service_quality"],
        {
            "en": (
                "How do I make a complaint?",
                "Tell us by phone, email, post or the contact page that you are unhappy: you do not need to use the "
                'word "complaint". You get a reference at once, a reply from a person, and regular updates until '
                "it is resolved. If you are not satisfied with our answer, you can take your complaint to the New "
                "York State Department of Financial Services; its details are at the bottom of every page.",
            ),
            "es": (
                "¿Cómo presento una queja?",
                "Díganos por teléfono, correo electrónico, correo postal o la página de contacto que no está "
                'satisfecho: no hace falta usar la palabra "queja". Recibirá una referencia al instante, la '
                "respuesta de una persona y actualizaciones periódicas hasta su resolución. Si no está satisfecho "
                "con nuestra respuesta, puede acudir al Departamento de Servicios Financieros del Estado de Nueva "
                "York; sus datos están al pie de cada página.",
            ),
            "ro": (
                "Cum fac o reclamație?",
                "Spuneți-ne la telefon, prin email, prin poștă sau pe pagina de contact că nu sunteți mulțumit: nu "
                "trebuie să folosiți cuvântul „reclamație”. Primiți imediat o referință, răspunsul unei persoane și "
                "actualizări regulate până la rezolvare. Dacă nu sunteți mulțumit de răspuns, vă puteți adresa "
                "Departamentului de Servicii Financiare al Statului New York; datele sale sunt la baza fiecărei "
                "pagini.",
            ),
        },
    ),
]
