# ruff: noqa: E501 - prose, one prompt per line
"""What callers hear, in each served language (Twilio ``<Say language=...>`` codes beside the texts).

Placeholders are filled by ``flows``; every prompt exists in every language (a test checks the keys match).
"""

from __future__ import annotations

SPEECH_LANGUAGE = {"en": "en-US", "es": "es-US", "ro": "ro-RO"}
MENU_DIGIT = {"en": "1", "es": "2", "ro": "3"}

PROMPTS: dict[str, dict[str, str]] = {
    "en": {
        "welcome": "Thank you for calling {org}.",
        "recorded": "This call is recorded for quality and for our records.",
        "menu": "For English, press 1.",
        "queued": "Thank you. You will speak with a customer service representative, a person, not a machine.",
        "wait": "Your estimated wait is about {minutes} minutes. You are number {position} in line.",
        "wait_short": "A representative should be with you in about a minute.",
        "callback_offer": "To keep your place and have us call you back at this number, press 1 at any time.",
        "callback_confirmed": (
            "Thank you. We will call you back at {phone}, keeping your place in line. You may hang up now."
        ),
        "connecting": "Connecting you to a representative.",
        "agent_missed": "The representative could not take your call. You keep your place in line.",
        "closed": "Our phone lines are closed now. Our hours are {hours}.",
        "full": "All of our representatives are busy helping other customers.",
        "voicemail": (
            "Please leave a message after the tone with your name, your email address if you have one, and "
            "what you need. Never say a password, a recovery phrase or a private key. Press the pound key when "
            "you are done. We will call you back by the end of the next business day."
        ),
        "voicemail_saved": "Thank you. Your reference number is {reference}. Again: {reference}.",
        "voicemail_sms": "We will also send it to you by text message.",
        "voicemail_empty": "We did not receive a message. Please call again or write to {email}.",
        "goodbye": "Goodbye.",
        "unknown_line": "This number is not a support line. Please write to {email} or visit {website}.",
        "problem": "Sorry, something went wrong on our side. Please call again, or write to {email}.",
        "callback_greeting": "Hello, this is {org} returning your call. This call is recorded.",
        "callback_agent": "Calling the customer back.",
    },
    "es": {
        "welcome": "Gracias por llamar a {org}.",
        "recorded": "Esta llamada se graba por calidad y para nuestros registros.",
        "menu": "Para español, oprima 2.",
        "queued": "Gracias. Hablará con un representante de atención al cliente, una persona, no una máquina.",
        "wait": "Su tiempo de espera estimado es de unos {minutes} minutos. Usted es el número {position} en la fila.",
        "wait_short": "Un representante debería atenderle en aproximadamente un minuto.",
        "callback_offer": (
            "Para conservar su lugar y que le devolvamos la llamada a este número, oprima 1 en cualquier momento."
        ),
        "callback_confirmed": (
            "Gracias. Le llamaremos al {phone} y conservará su lugar en la fila. Ya puede colgar."
        ),
        "connecting": "Le comunicamos con un representante.",
        "agent_missed": "El representante no pudo atender su llamada. Conserva su lugar en la fila.",
        "closed": "Nuestras líneas telefónicas están cerradas ahora. Nuestro horario es {hours}.",
        "full": "Todos nuestros representantes están ayudando a otros clientes.",
        "voicemail": (
            "Deje un mensaje después del tono con su nombre, su correo electrónico si lo tiene y lo que necesita. "
            "Nunca diga una contraseña, una frase de recuperación ni una clave privada. Oprima la tecla numeral "
            "al terminar. Le llamaremos antes del final del siguiente día hábil."
        ),
        "voicemail_saved": "Gracias. Su número de referencia es {reference}. Repito: {reference}.",
        "voicemail_sms": "También se lo enviaremos por mensaje de texto.",
        "voicemail_empty": "No recibimos ningún mensaje. Llame de nuevo o escriba a {email}.",
        "goodbye": "Adiós.",
        "unknown_line": "Este número no es una línea de atención. Escriba a {email} o visite {website}.",
        "problem": "Lo sentimos, algo falló de nuestro lado. Llame de nuevo o escriba a {email}.",
        "callback_greeting": "Hola, le llama {org} para devolverle su llamada. Esta llamada se graba.",
        "callback_agent": "Llamando de vuelta al cliente.",
    },
    "ro": {
        "welcome": "Vă mulțumim că ați sunat la {org}.",
        "recorded": "Această convorbire este înregistrată pentru calitate și pentru evidențele noastre.",
        "menu": "Pentru limba română, apăsați 3.",
        "queued": "Vă mulțumim. Veți vorbi cu un reprezentant al serviciului clienți, o persoană, nu un robot.",
        "wait": "Timpul estimat de așteptare este de aproximativ {minutes} minute. Sunteți numărul {position} la rând.",
        "wait_short": "Un reprezentant ar trebui să vă răspundă în aproximativ un minut.",
        "callback_offer": (
            "Pentru a vă păstra locul și a fi sunat înapoi la acest număr, apăsați 1 în orice moment."
        ),
        "callback_confirmed": (
            "Vă mulțumim. Vă vom suna înapoi la {phone}, păstrându-vă locul la rând. Puteți închide acum."
        ),
        "connecting": "Vă facem legătura cu un reprezentant.",
        "agent_missed": "Reprezentantul nu a putut prelua apelul. Vă păstrați locul la rând.",
        "closed": "Liniile noastre telefonice sunt închise acum. Programul nostru este {hours}.",
        "full": "Toți reprezentanții noștri ajută alți clienți.",
        "voicemail": (
            "Lăsați un mesaj după semnal cu numele dumneavoastră, adresa de e-mail dacă aveți una și ce vă "
            "trebuie. Nu spuneți niciodată o parolă, o frază de recuperare sau o cheie privată. Apăsați tasta "
            "diez când ați terminat. Vă vom suna înapoi până la sfârșitul următoarei zile lucrătoare."
        ),
        "voicemail_saved": "Vă mulțumim. Numărul dumneavoastră de referință este {reference}. Repet: {reference}.",
        "voicemail_sms": "Vi-l vom trimite și prin mesaj text.",
        "voicemail_empty": "Nu am primit niciun mesaj. Vă rugăm să sunați din nou sau să scrieți la {email}.",
        "goodbye": "La revedere.",
        "unknown_line": "Acest număr nu este o linie de asistență. Scrieți la {email} sau vizitați {website}.",
        "problem": "Ne pare rău, ceva nu a funcționat la noi. Sunați din nou sau scrieți la {email}.",
        "callback_greeting": "Bună ziua, vă sună {org} înapoi. Această convorbire este înregistrată.",
        "callback_agent": "Sunăm clientul înapoi.",
    },
}


def prompt(language: str, key: str, **values: object) -> str:
    texts = PROMPTS.get(language) or PROMPTS["en"]
    return texts[key].format(**values)


def spoken_reference(reference: str) -> str:
    """ "CL-7K3M..." read one character at a time: "C, L, 7, K, 3, M...", the dash left out."""
    return ", ".join(character for character in reference if character != "-")
