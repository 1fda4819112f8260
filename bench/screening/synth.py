"""Synthetic sanctions-like entities and labelled noisy queries, from a fixed seed.

Entity ``i`` is a pure function of ``(seed, i)``, so the benchmark can
regenerate any candidate (for the peer scorers) without keeping a million
dicts in memory. Names are multi-script: Russian persons and companies in
Cyrillic with Latin aliases (in a *different* transliteration scheme from the
queries), Chinese persons and companies in characters with pinyin/English
aliases, Arabic and Western names in Latin with spelling variants, vessels
with IMO numbers. Persons and companies are built from name pools and
syllables; queries apply one kind of noise each. Hard negatives use given
names and name roots *held out* of generation, so any match on them is a
false positive.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

RU_GIVEN = ["Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий", "Василий", "Виктор",
            "Владимир", "Владислав", "Геннадий", "Георгий", "Григорий", "Денис", "Дмитрий", "Евгений", "Егор",
            "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Леонид", "Максим", "Михаил", "Никита", "Николай",
            "Олег", "Павел", "Пётр", "Роман", "Сергей", "Станислав", "Степан", "Тимур", "Фёдор", "Юрий", "Ярослав"]
RU_GIVEN_HELDOUT = ["Аркадий", "Венедикт", "Всеволод", "Елисей", "Прохор", "Эдуард", "Савелий", "Тихон",
                    "Мирон", "Платон", "Емельян", "Гордей"]
RU_PATRONYMIC = ["Александрович", "Алексеевич", "Андреевич", "Борисович", "Васильевич", "Викторович",
                 "Владимирович", "Геннадьевич", "Георгиевич", "Григорьевич", "Дмитриевич", "Евгеньевич",
                 "Иванович", "Игоревич", "Константинович", "Михайлович", "Николаевич", "Олегович", "Павлович",
                 "Петрович", "Романович", "Сергеевич", "Юрьевич", "Фёдорович", "Анатольевич"]
RU_ROOTS = ["Петр", "Иван", "Смирн", "Кузнец", "Поп", "Сокол", "Лебед", "Козл", "Новик", "Мороз", "Волк",
            "Соловь", "Васил", "Зайц", "Павл", "Семён", "Голуб", "Виноград", "Богдан", "Воробь", "Федор",
            "Михайл", "Беляк", "Тарас", "Бел", "Комар", "Орл", "Кисел", "Макар", "Андре", "Ковал", "Гус", "Тит",
            "Кузьм", "Кудрявц", "Баран", "Кулик", "Алексе", "Степан", "Яковл", "Сорок", "Роман", "Захар",
            "Борис", "Корол", "Герасим", "Пономар", "Григор", "Лазар", "Медвед", "Ерш", "Никит", "Собол",
            "Ряб", "Поляк", "Цветк", "Данил", "Жук", "Фрол", "Журавл", "Никола", "Крыл", "Максим", "Сидор",
            "Осип", "Белоус", "Шевч", "Бондар", "Ткач", "Кравч", "Мельник", "Гончар", "Литвин", "Руд", "Савч"]
RU_INFIX = ["", "", "", "", "", "ан", "ен", "ох", "ур", "ел", "иш", "ал", "от", "ин", "ар", "ор", "ук", "ач", "ев",
            "ун", "ыш", "ей", "ам", "он", "ас", "ик", "ем", "ят", "уш", "ад", "ель"]
RU_SUFFIX = ["ов", "ев", "ин", "ский", "енко", "ук"]
RU_CO_ROOTS = ["Север", "Юг", "Восток", "Запад", "Техно", "Пром", "Строй", "Торг", "Авиа", "Энерго", "Газ",
               "Нефте", "Транс", "Снаб", "Инвест", "Альфа", "Вега", "Орион", "Сибирь", "Урал", "Амур", "Байкал",
               "Волга", "Дон", "Кама", "Нева", "Ока", "Лена", "Енисей", "Атлант", "Полюс", "Гарант", "Вектор",
               "Спектр", "Импульс", "Радиус", "Меридиан", "Кристалл", "Титан", "Феникс"]
RU_CO_HELDOUT = ["Кварц", "Гранит", "Малахит", "Янтарь", "Рубеж", "Пламя"]
RU_CO_SUFFIX = ["ком", "сервис", "строй", "пром", "торг", "тех", "снаб", "транс", "маш", "лес", "агро", "мед",
                "флот", "авто", "электро", "приб", "хим", "металл", "логистик", "систем"]
RU_CO_SECOND = ["", "", "", "Плюс", "Групп", "М", "Холдинг", "Инжиниринг", "Трейд", "Регион", "Центр", "Д"]
RU_FORMS = [("ООО", "LLC"), ("ООО", "OOO"), ("АО", "JSC"), ("ПАО", "PJSC"), ("ЗАО", "CJSC")]

CN_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石")
CN_GIVEN = list("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉力鹏飞斌宇浩凯健俊帆帅旭宁龙林欣佳雪琳"
                "晨阳昊博天一子梓涵思雨轩怡晓海波国庆志春亮成东光永兵鑫峰新德安云松清")
_CN_HELDOUT_POOL = list("鹤嵘骁翊璟珩彧昶暄琰瑾祺钊淼")


def cn_given_heldout() -> list[str]:
    """Held-out given-name characters whose pinyin no pool character shares."""
    from pypinyin import lazy_pinyin

    used = {lazy_pinyin(c)[0] for c in CN_GIVEN + CN_SURNAMES}
    return [c for c in _CN_HELDOUT_POOL if lazy_pinyin(c)[0] not in used]
CN_PLACES = ["北京", "上海", "深圳", "广州", "厦门", "杭州", "南京", "武汉", "成都", "重庆", "天津", "苏州", "西安",
             "哈尔滨", "长沙", "青岛", "大连", "宁波", "郑州", "济南", "合肥", "福州", "东莞", "佛山", "无锡", "沈阳",
             "昆明", "南宁", "珠海", "中山"]
CN_CORE = list("北海华盛创新泰达恒通宏远鑫隆瑞丰金鼎汇中诚信安康永利光明正大天宇东方长城星辰凯旋卓越腾飞")
CN_CORE_HELDOUT = list("鹭鸥麟")
CN_INDUSTRY = [("电子", "Electronics"), ("科技", "Technology"), ("贸易", "Trading"), ("实业", "Industrial"),
               ("机械", "Machinery"), ("电器", "Electric"), ("光电", "Optoelectronics"), ("智能", "Intelligent"),
               ("通信", "Communication"), ("进出口", "Import and Export"), ("航空", "Aviation"), ("物流", "Logistics")]
CN_FORMS = [("有限公司", "Co., Ltd."), ("股份有限公司", "Co., Ltd."), ("有限责任公司", "Limited Liability Company")]

AR_GIVEN = ["Mohammed", "Ahmed", "Ali", "Hassan", "Hussein", "Omar", "Khalid", "Yousef", "Ibrahim", "Abdullah",
            "Mahmoud", "Mustafa", "Saeed", "Tariq", "Nasser", "Karim", "Rashid", "Faisal", "Hamza", "Bilal",
            "Jamal", "Walid", "Samir", "Adel", "Majid"]
AR_VARIANTS = {"Mohammed": ["Muhammad", "Mohamed", "Mohammad"], "Ahmed": ["Ahmad"], "Hussein": ["Husain", "Hussain"],
               "Yousef": ["Yusuf", "Youssef"], "Abdullah": ["Abdallah"], "Mahmoud": ["Mahmud"],
               "Mustafa": ["Mostafa"], "Saeed": ["Said", "Saeid"], "Nasser": ["Nasir", "Naser"],
               "Faisal": ["Faysal"], "Majid": ["Majeed"], "Omar": ["Umar"], "Khalid": ["Khaled"]}
AR_GIVEN_HELDOUT = ["Nizar", "Ghassan", "Rami", "Fadi", "Ziad", "Marwan"]
AR_FAMILY = ["Rashid", "Hashimi", "Zahrani", "Qahtani", "Ghamdi", "Otaibi", "Shamsi", "Mansouri", "Khatib",
             "Haddad", "Najjar", "Masri", "Tamimi", "Harbi", "Dosari", "Mutairi", "Anazi", "Shehri", "Amri",
             "Balushi", "Kaabi", "Nuaimi", "Marzouqi", "Falasi", "Suwaidi", "Jaberi", "Hamadi", "Obaidi"]
AR_FAMILY_PREFIX = ["", "", "Bu", "Abu "]

WEST_GIVEN = ["John", "Michael", "David", "James", "Robert", "Maria", "Anna", "Peter", "Thomas", "Laura",
              "Daniel", "Paul", "Mark", "Sarah", "Elena", "Marco", "Luca", "Hans", "Pierre", "Jean"]
WEST_GIVEN_HELDOUT = ["Quentin", "Barnaby", "Ottilie", "Leopold"]
SYL = ["bar", "ton", "mer", "lin", "dal", "ven", "cor", "sel", "mar", "kin", "ros", "tel", "van", "dor", "ber",
       "hal", "gar", "lom", "ner", "pas", "wil", "son", "ham", "ford", "ley", "field", "stone", "wood", "brook"]
SYL_HELDOUT = ["zyx", "qua", "jux"]
CO_WORDS = ["Global", "Star", "Ocean", "Summit", "Falcon", "Eagle", "Horizon", "Atlas", "Delta", "Nova", "Prime",
            "Apex", "Zenith", "Crescent", "Pioneer", "Vertex", "Sapphire", "Emerald", "Golden", "Silver"]
CO_INDUSTRY = ["Trading", "Logistics", "Technologies", "Electronics", "Shipping", "Industries", "Holdings",
               "Investments", "Engineering", "Supplies", "Aviation", "Energy"]
CO_FORMS = ["LLC", "Ltd", "FZE", "FZCO", "LLP", "GmbH", "Inc.", "Limited", "S.A.", "DMCC"]
COUNTRIES_OTHER = ["ae", "tr", "kz", "am", "ge", "hk", "sg", "my", "in", "uz", "kg", "by", "rs", "cy", "gb", "de"]

# Two Cyrillic transliteration schemes: aliases use "gost", queries "bgn".
_GOST = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zh", "з": "z", "и": "i",
         "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
         "у": "u", "ф": "f", "х": "kh", "ц": "c", "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "", "ы": "y", "ь": "",
         "э": "e", "ю": "ju", "я": "ja"}
_BGN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya"}
_UKR = dict(_BGN, г="h", и="y", і="i")


def translit(text: str, scheme: dict[str, str], ye: bool = False) -> str:
    """Transliterate Cyrillic with a scheme; ``ye``: е -> ye after vowels and at word start (BGN)."""
    out = []
    prev = " "
    for ch in text:
        low = ch.lower()
        if low in scheme:
            val = scheme[low]
            if ye and low == "е" and (prev in " аеёиоуыэюяьъ" or not prev.isalpha()):
                val = "ye"
            if ch.isupper() and val:
                val = val[0].upper() + val[1:]
            out.append(val)
        else:
            out.append(ch)
        prev = low
    return "".join(out)


def pinyin_words(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [p.capitalize() for p in lazy_pinyin(text)]


@dataclass
class Query:
    """A labelled query: the yente example, the expected entity (None for negatives), the noise."""

    query: dict[str, Any]
    target: str | None
    noise: str


def _rng(seed: int, i: int) -> random.Random:
    return random.Random(seed * 1_000_003 + i)


def _ru_surname(r: random.Random) -> str:
    return r.choice(RU_ROOTS) + r.choice(RU_INFIX) + r.choice(RU_SUFFIX)


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


KINDS = [("ru_person", 30), ("cn_person", 15), ("ar_person", 10), ("west_person", 8), ("ru_company", 15),
         ("cn_company", 12), ("other_company", 8), ("vessel", 2)]
_KIND_TABLE = [k for k, w in KINDS for _ in range(w)]


def entity(seed: int, i: int) -> dict[str, Any]:
    """Synthetic entity number ``i`` (a pure function of seed and i)."""
    r = _rng(seed, i)
    kind = _KIND_TABLE[r.randrange(len(_KIND_TABLE))]
    eid = f"syn-{i}"
    props: dict[str, list[str]] = {}
    schema = "Person"
    if kind == "ru_person":
        given, patr, sur = r.choice(RU_GIVEN), r.choice(RU_PATRONYMIC), _ru_surname(r)
        props["name"] = [f"{sur} {given} {patr}"]
        props["alias"] = [translit(f"{given} {patr} {sur}", _GOST)]
        props["nationality"] = ["ru"]
        props["firstName"], props["lastName"], props["fatherName"] = [given], [sur], [patr]
    elif kind == "cn_person":
        sur = r.choice(CN_SURNAMES)
        given = "".join(r.choice(CN_GIVEN) for _ in range(r.choice((1, 2, 2))))
        props["name"] = [sur + given]
        props["alias"] = [" ".join([pinyin_words(sur)[0], "".join(pinyin_words(given)).capitalize()])]
        props["nationality"] = ["cn"]
    elif kind == "ar_person":
        given, father, fam = r.choice(AR_GIVEN), r.choice(AR_GIVEN), r.choice(AR_FAMILY)
        prefix = r.choice(AR_FAMILY_PREFIX)
        family = f"{prefix}{fam}" if prefix else f"Al-{fam}"
        props["name"] = [f"{given} bin {father} {family}"]
        props["alias"] = [f"{AR_VARIANTS.get(given, [given])[0]} {family.replace('Al-', 'Al ')}"]
        props["nationality"] = [r.choice(["sa", "ae", "ye", "sy", "iq", "lb", "ir"])]
    elif kind == "west_person":
        given = r.choice(WEST_GIVEN)
        sur = (r.choice(SYL) + r.choice(SYL) + (r.choice(SYL) if r.random() < 0.5 else "")).capitalize()
        props["name"] = [f"{given} {r.choice(WEST_GIVEN)[0]}. {sur}" if r.random() < 0.3 else f"{given} {sur}"]
        props["nationality"] = [r.choice(COUNTRIES_OTHER)]
    elif kind == "ru_company":
        schema = "Company"
        second_root = r.choice(RU_CO_ROOTS).lower() if r.random() < 0.7 else ""
        core = r.choice(RU_CO_ROOTS) + second_root + r.choice(RU_CO_SUFFIX)
        second = r.choice(RU_CO_SECOND)
        core = f"{core} {second}".strip()
        form_ru, form_en = r.choice(RU_FORMS)
        props["name"] = [f"{form_ru} «{core}»"]
        props["alias"] = [f"{translit(core, _GOST)} {form_en}"]
        props["country"] = ["ru"]
        if r.random() < 0.5:
            props["innCode"] = [_digits(r, 10)]
        if r.random() < 0.3:
            props["ogrnCode"] = [_digits(r, 13)]
    elif kind == "cn_company":
        schema = "Company"
        place = r.choice(CN_PLACES)
        core = "".join(r.choice(CN_CORE) for _ in range(3 if r.random() < 0.6 else 2))
        (ind_cn, ind_en), (form_cn, form_en) = r.choice(CN_INDUSTRY), r.choice(CN_FORMS)
        props["name"] = [place + core + ind_cn + form_cn]
        props["alias"] = [f"{''.join(pinyin_words(place))} {''.join(pinyin_words(core))} {ind_en} {form_en}"]
        props["country"] = ["cn"]
        if r.random() < 0.4:
            props["registrationNumber"] = ["91" + _digits(r, 6) + "MA" + _digits(r, 7) + r.choice("ABCDEFGHJK")]
    elif kind == "other_company":
        schema = "Company"
        core = r.choice(CO_WORDS) + " " + (r.choice(SYL) + r.choice(SYL)).capitalize()
        props["name"] = [f"{core} {r.choice(CO_INDUSTRY)} {r.choice(CO_FORMS)}"]
        props["country"] = [r.choice(COUNTRIES_OTHER)]
        if r.random() < 0.2:
            props["leiCode"] = [_digits(r, 4) + "00" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                                              for _ in range(12)) + _digits(r, 2)]
    else:
        schema = "Vessel"
        props["name"] = [f"{r.choice(CO_WORDS).upper()} {(r.choice(SYL) + r.choice(SYL)).upper()}"]
        props["imoNumber"] = [f"IMO{r.randint(9000000, 9999999)}"]
        props["flag"] = [r.choice(COUNTRIES_OTHER)]
    if schema == "Person" and r.random() < 0.6:
        props["birthDate"] = [f"{r.randint(1945, 2000)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"]
    props["topics"] = ["sanction"]
    return {"id": eid, "schema": schema, "properties": props, "datasets": ["synthetic"], "kind": kind}


def entities(seed: int, size: int) -> Any:
    for i in range(size):
        yield entity(seed, i)


# -- noise ---------------------------------------------------------------------

def typo(r: random.Random, text: str) -> str:
    """One edit (swap, drop, double, replace) inside the longest word."""
    words = text.split(" ")
    k = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[k]
    if len(w) < 5:
        return text
    p = r.randrange(1, len(w) - 2)
    op = r.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    elif op == "drop":
        w = w[:p] + w[p + 1:]
    elif op == "double":
        w = w[:p] + w[p] + w[p:]
    else:
        w = w[:p] + r.choice("aeiourstnl") + w[p + 1:]
    words[k] = w
    return " ".join(words)


def _q(schema: str, name: str, **props: list[str]) -> dict[str, Any]:
    return {"schema": schema, "properties": {"name": [name], **props}}


def positive(seed: int, r: random.Random, ent: dict[str, Any]) -> Query:
    """A noisy query for a known entity."""
    kind, p, eid = ent.get("kind", "ofac"), ent["properties"], ent["id"]
    schema = ent["schema"]
    name = p["name"][0]
    if kind == "ru_person":
        sur, given, patr = name.split(" ")
        noise = r.choice(["bgn", "drop_patronymic", "reorder_comma", "initials", "typo", "ukrainian", "cyrillic"])
        if noise == "bgn":
            q = translit(f"{given} {patr} {sur}", _BGN, ye=True)
        elif noise == "drop_patronymic":
            q = translit(f"{given} {sur}", _BGN, ye=True)
        elif noise == "reorder_comma":
            q = translit(f"{sur.upper()}, {given} {patr}", _BGN, ye=True)
        elif noise == "initials":
            q = f"{translit(given, _BGN, ye=True)[0]}. {translit(patr, _BGN)[0]}. {translit(sur, _BGN)}"
        elif noise == "typo":
            q = typo(r, translit(f"{given} {sur}", _BGN, ye=True))
        elif noise == "ukrainian":
            q = translit(f"{given} {sur}", _UKR)
        else:
            q = f"{given} {sur}"
        extra = {"birthDate": p["birthDate"]} if "birthDate" in p and r.random() < 0.3 else {}
        return Query(_q("Person", q, **extra), eid, f"ru_person:{noise}")
    if kind == "cn_person":
        sur, given = name[0], name[1:]
        noise = r.choice(["pinyin_western", "pinyin_split", "hanzi", "typo"])
        py_s, py_g = pinyin_words(sur)[0], pinyin_words(given)
        if noise == "pinyin_western":
            q = f"{''.join(py_g).capitalize()} {py_s}"
        elif noise == "pinyin_split":
            q = f"{py_s.upper()} {' '.join(py_g)}"
        elif noise == "hanzi":
            q = name
        else:
            q = typo(r, f"{py_s} {''.join(py_g).capitalize()}")
        return Query(_q("Person", q), eid, f"cn_person:{noise}")
    if kind == "ar_person":
        given, _, father, family = name.split(" ", 3)
        noise = r.choice(["variant", "drop_father", "al_space", "typo"])
        g2 = r.choice(AR_VARIANTS.get(given, [given]))
        if noise == "variant":
            q = f"{g2} bin {father} {family}"
        elif noise == "drop_father":
            q = f"{given} {family}"
        elif noise == "al_space":
            q = f"{family.replace('Al-', 'Al ')}, {g2} {father}"
        else:
            q = typo(r, name)
        return Query(_q("Person", q), eid, f"ar_person:{noise}")
    if kind == "ru_company":
        form, core = name.split(" ", 1)
        core = core.strip("«»")
        noise = r.choice(["latin_other_form", "latin_no_form", "cyrillic_no_quotes", "typo"])
        equiv = {"ООО": "LLC", "АО": "AO", "ПАО": "PAO", "ЗАО": "ZAO"}
        if noise == "latin_other_form":
            q = f"{equiv[form]} {translit(core, _BGN, ye=True)}"
        elif noise == "latin_no_form":
            q = translit(core, _BGN, ye=True)
        elif noise == "cyrillic_no_quotes":
            q = f"{core} {form}"
        else:
            q = typo(r, translit(core, _BGN, ye=True)) + " " + equiv[form]
        extra = {"innCode": p["innCode"]} if "innCode" in p and r.random() < 0.2 else {}
        return Query(_q("Company", q, **extra), eid, f"ru_company:{noise}")
    if kind == "cn_company":
        noise = r.choice(["english", "english_no_place", "hanzi_no_form", "english_no_form", "typo"])
        eng = p["alias"][0]
        words = eng.split(" ")
        if noise == "english":
            q = eng
        elif noise == "english_no_place":
            q = " ".join(words[1:])
        elif noise == "hanzi_no_form":
            q = name.replace("股份有限公司", "").replace("有限责任公司", "").replace("有限公司", "")
        elif noise == "english_no_form":
            q = " ".join(w for w in words if w not in ("Co.,", "Ltd.", "Limited", "Liability", "Company"))
        else:
            q = typo(r, eng)
        return Query(_q("Company", q), eid, f"cn_company:{noise}")
    if kind == "other_company":
        noise = r.choice(["no_form", "typo", "lower"])
        if noise == "no_form":
            q = name.rsplit(" ", 1)[0]
        elif noise == "typo":
            q = typo(r, name)
        else:
            q = name.lower()
        return Query(_q("Company", q), eid, f"other_company:{noise}")
    if kind == "vessel":
        q = typo(r, name) if r.random() < 0.5 else f"M/V {name.title()}"
        return Query(_q("Vessel", q), eid, "vessel:variant")
    # real list entries: typo or reordering of the primary name
    noise = r.choice(["typo", "reorder", "lower"])
    if noise == "typo":
        q = typo(r, name)
    elif noise == "reorder":
        words = name.replace(",", "").split(" ")
        q = " ".join(words[1:] + words[:1])
    else:
        q = name.lower()
    return Query(_q(schema, q), eid, f"ofac:{noise}")


def negative(seed: int, r: random.Random, ent: dict[str, Any]) -> Query | None:
    """A hard negative built from a real entity with held-out name parts."""
    kind, p = ent.get("kind"), ent["properties"]
    name = p["name"][0]
    if kind == "ru_person":
        sur, _, patr = name.split(" ")
        given = r.choice(RU_GIVEN_HELDOUT)
        q = translit(f"{given} {patr} {sur}", _BGN, ye=True) if r.random() < 0.5 else f"{sur} {given} {patr}"
        return Query(_q("Person", q), None, "neg:ru_same_surname")
    if kind == "cn_person":
        held = cn_given_heldout()
        given = "".join(r.choice(held) for _ in range(2))
        q = name[0] + given if r.random() < 0.5 else f"{pinyin_words(name[0])[0]} {''.join(pinyin_words(given))}"
        return Query(_q("Person", q), None, "neg:cn_same_surname")
    if kind == "ar_person":
        family = name.split(" ", 3)[3]
        return Query(_q("Person", f"{r.choice(AR_GIVEN_HELDOUT)} {family}"), None, "neg:ar_other_given")
    if kind == "west_person":
        sur = name.split(" ")[-1]
        return Query(_q("Person", f"{r.choice(WEST_GIVEN_HELDOUT)} {sur}"), None, "neg:west_other_given")
    if kind == "ru_company":
        form, core = name.split(" ", 1)
        suffix = r.choice(RU_CO_SUFFIX)
        q = f"{form} «{r.choice(RU_CO_HELDOUT)}{suffix}»"
        return Query(_q("Company", q), None, "neg:ru_other_core")
    if kind == "cn_company":
        place = next(pl for pl in CN_PLACES if name.startswith(pl))
        starts = [k for k in (name.find(ind, len(place) + 2) for ind, _ in CN_INDUSTRY) if k > 0]
        rest = name[min(starts):]
        core = r.choice(CN_CORE_HELDOUT) + r.choice(CN_CORE_HELDOUT)
        q = place + core + rest
        if r.random() < 0.5:
            eng = p["alias"][0].split(" ")
            q = " ".join([eng[0], "".join(pinyin_words(core))] + eng[2:])
        return Query(_q("Company", q), None, "neg:cn_other_core")
    if kind == "other_company":
        words = name.split(" ")
        words[1] = (r.choice(SYL_HELDOUT) + r.choice(SYL)).capitalize()
        return Query(_q("Company", " ".join(words)), None, "neg:other_core")
    return None


def queries(seed: int, size: int, n_pos: int, n_neg: int, real: list[dict[str, Any]]) -> list[Query]:
    """Labelled queries: positives (about 10 % from the real list) and hard negatives."""
    r = random.Random(seed + 17)
    out: list[Query] = []
    while len([q for q in out if q.target]) < n_pos:
        if real and r.random() < 0.1:
            ent = r.choice(real)
        else:
            ent = entity(seed, r.randrange(size))
        out.append(positive(seed, r, ent))
    negs = 0
    while negs < n_neg:
        neg = negative(seed, r, entity(seed, r.randrange(size)))
        if neg is not None:
            out.append(neg)
            negs += 1
    r.shuffle(out)
    return out
