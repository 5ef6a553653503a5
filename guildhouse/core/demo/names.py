"""Generated names and the email addresses made from them."""

from __future__ import annotations

import random
import unicodedata

# (first names, family names) by background, so most generated people have names that
# belong together; a few mix, as families do.
NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("Oliver", "Amelia", "Jack", "Isla", "Harry", "Freya", "Leo", "Grace", "Callum", "Ellie"),
        ("Smith", "Walker", "Murphy", "Campbell", "Hughes", "Brennan", "Fletcher", "Doyle"),
    ),
    (
        ("Aino", "Eetu", "Venla", "Onni", "Helmi", "Veeti", "Siiri", "Leevi", "Ilona", "Aleksi"),
        ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Heikkinen", "Laine", "Järvinen"),
    ),
    (
        ("Elsa", "Linnea", "Axel", "Vilma", "Hugo", "Saga", "Emil", "Ebba", "Anton", "Maja"),
        ("Lindqvist", "Berg", "Nyström", "Holm", "Sjöberg", "Ekström", "Dahl", "Lund"),
    ),
    (
        ("Hodan", "Abdirahman", "Ayaan", "Mahad", "Sagal", "Hamza", "Ifrah", "Yusuf"),
        ("Warsame", "Abdi", "Hassan", "Farah", "Osman", "Jama", "Guled"),
    ),
    (
        ("Layla", "Omar", "Noor", "Karim", "Yasmin", "Ahmad", "Rania", "Dilan", "Rojin", "Shvan"),
        ("Haddad", "Mansour", "Khalil", "Saleh", "Barzani", "Ahmadi", "Rahimi", "Hussein"),
    ),
    (
        ("Linh", "Minh", "Thảo", "Đức", "Mai", "Quang", "Hoa", "Tuấn"),
        ("Nguyễn", "Trần", "Phạm", "Lê", "Vũ", "Hoàng", "Đặng"),
    ),
    (
        ("Zofia", "Jakub", "Oksana", "Taras", "Maksym", "Daria", "Kacper", "Märten", "Kertu"),
        ("Nowak", "Kowalczyk", "Shevchenko", "Kovalenko", "Bondarenko", "Tamm", "Saar", "Melnyk"),
    ),
    (
        ("Lucía", "Mateo", "Valentina", "Diego", "Camila", "Santiago", "Inês", "João"),
        ("García", "Moreno", "Silva", "Fernández", "Rodrigues", "Costa", "Herrera", "Ortiz"),
    ),
    (
        ("Chidi", "Amara", "Kwame", "Adaeze", "Tunde", "Efua", "Kofi", "Ngozi"),
        ("Okafor", "Mensah", "Adeyemi", "Owusu", "Boateng", "Eze", "Nwosu", "Asante"),
    ),
    (
        ("Priya", "Arjun", "Aisha", "Rohan", "Fatima", "Imran", "Ananya", "Sanjay"),
        ("Natarajan", "Sharma", "Patel", "Khan", "Iyer", "Chaudhry", "Reddy", "Begum"),
    ),
    (
        ("Elif", "Emre", "Zeynep", "Burak", "Defne", "Can"),
        ("Y\u0131lmaz", "Demir", "Kaya", "Şahin", "Çelik", "Ayd\u0131n"),
    ),
    (
        ("Wei", "Mei", "Jun", "Xin", "Angelo", "Maricel", "Joshua", "Kristine"),
        ("Chen", "Wang", "Zhang", "Liu", "Santos", "Reyes", "Cruz", "Bautista"),
    ),
)
# The first two groups are the largest in the demo region; the rest are weighted equally.
_GROUP_WEIGHTS = (3, 4) + (1,) * (len(NAME_GROUPS) - 2)
# Letters that Unicode does not decompose into an ASCII base letter.
_ASCII = str.maketrans({"\u0131": "i", "ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d"})


def person_name(rng: random.Random) -> tuple[str, str]:
    """A (first name, family name) pair, drawn from ``rng`` only."""
    group = rng.choices(NAME_GROUPS, weights=_GROUP_WEIGHTS)[0]
    family_group = rng.choice(NAME_GROUPS) if rng.random() < 0.12 else group
    return rng.choice(group[0]), rng.choice(family_group[1])


def email_part(text: str) -> str:
    """``text`` as a lower-case ASCII email local part: "Nguyễn Đức" -> "nguyen.duc"."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    ascii_only = plain.encode("ascii", "ignore").decode()
    return ".".join("".join(c for c in word if c.isalnum()) for word in ascii_only.split())


def unique_email(local: str, domain: str, taken: set[str]) -> str:
    """``local@domain``, or ``local2@domain``, ... : the first not in ``taken`` (then added)."""
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email
