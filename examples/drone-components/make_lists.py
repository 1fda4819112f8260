"""Write the demo's registry extracts and sanctions list as FtM JSON lines.

Run from anywhere: ``.venv/bin/python examples/drone-components/make_lists.py``.
The output files are committed; this script is the one place their content
is written down, so edit here and re-run rather than editing the JSON lines.

What is real and what is invented (see README.md in this folder):

* Aero-HIT, Komax, Konstantin Basyuk, Renovatsio-Invest, Aeromar-DV,
  Shenzhen Huasheng Industry, Autel Robotics and the Harbin Institute of
  Technology, and their designations, are from the public record. We do not
  know their registration numbers or share percentages, so none are given.
* Everything in the Osmonov network (Tengri Holding, Alatoo Trade Bridge,
  Falcon Crest General Trading FZE, Kowloon Bright Electronics, Khlebny Dom
  Severa, ...) is FICTIONAL, invented for this demo, including its
  "designations", which are marked as such in their notes.

Registry history: ``registry/v1/kg-registry.ftm.jsonl`` is the Kyrgyz extract
before a news story (March 2025); ``registry/v2/kg-registry.ftm.jsonl`` is
the same extract afterwards, in which the holding company's stake and the
beneficial owner's directorship have vanished and a young nominee appears.
Loaded one after the other under the same source name, the vanished values
show as *removed*. Records that change are written last so that the line
numbers (part of each statement's location) of the others stay the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FICTION = "FICTIONAL: invented for the redthread demo; not a real party or designation."

Entity = dict[str, Any]


def ent(id_: str, schema: str, **props: Any) -> Entity:
    properties = {k: (v if isinstance(v, list) else [v]) for k, v in props.items() if v is not None}
    return {"id": id_, "schema": schema, "properties": properties}


def company(id_: str, name: str, **props: Any) -> Entity:
    return ent(id_, "Company", name=name, **props)


def person(id_: str, name: str, **props: Any) -> Entity:
    return ent(id_, "Person", name=name, **props)


def address(id_: str, full: str, city: str, country: str) -> Entity:
    return ent(id_, "Address", full=full, city=city, country=country)


def owns(id_: str, owner: str, asset: str, pct: float | None = None, **props: Any) -> Entity:
    return ent(id_, "Ownership", owner=owner, asset=asset,
               percentage=None if pct is None else f"{pct:g}", **props)


def directs(id_: str, director: str, org: str, role: str, **props: Any) -> Entity:
    return ent(id_, "Directorship", director=director, organization=org, role=role, **props)


# -- Russia: the real case (public record) and the fictional buyers ---------
RU: list[Entity] = [
    company("ru-aerohit", "Aero-HIT", alias=["ООО «Аэро-ХИТ»", "Aero-KhIT LLC", "Аэро-ХИТ"],
            country="ru", jurisdiction="ru", address="Khabarovsk, Russia",
            sector="Manufacture of unmanned aerial vehicles",
            notes="Maker of the Veles FPV drone; plant near Khabarovsk airport."),
    company("ru-komax", "Komax", alias=["ООО «Комакс»", "Комакс"], country="ru",
            address="Khabarovsk, Russia", sector="Airport operation and management",
            notes="Manages Khabarovsk airport."),
    person("ru-basyuk", "Konstantin Basyuk", alias="Константин Басюк", nationality="ru",
           position="Senator for the Russian-occupied Kherson region (from 2022)"),
    owns("ru-own-basyuk-komax", "ru-basyuk", "ru-komax", role="owner",
         summary="Registry lists the individual as owner; share not stated."),
    ent("ru-ctrl-komax-aerohit", "Control", controller="ru-komax", controlled="ru-aerohit",
        role="controlling company", startDate="2023"),
    company("ru-renovatsio", "Renovatsio-Invest", alias=["ООО «Реновацио-Инвест»", "Renovacio-Invest"],
            country="ru", sector="Investment and trade"),
    company("ru-aeromar", "Aeromar-DV", alias=["ООО «Аэромар-ДВ»", "Aeromar DV"], country="ru",
            sector="Airline catering: food and catering services to airlines"),
    # fictional buyers of record and end user
    address("ru-addr-novosibirsk", "ul. Mel'nikaite 7, office 31, Novosibirsk 630009, Russia",
            "Novosibirsk", "ru"),
    company("ru-khlebny-dom", "Khlebny Dom Severa", alias=["ООО «Хлебный дом Севера»", "Khlebnyy Dom Severa LLC"],
            country="ru", incorporationDate="2019-04-17", innCode="5406998712",
            addressEntity="ru-addr-novosibirsk", sector="Wholesale of bakery products and flour",
            notes=FICTION),
    person("ru-marat-osmonov", "Marat Osmonov", alias="Марат Темирович Осмонов", birthDate="1979-03-14",
           nationality="ru", notes=FICTION),
    directs("ru-dir-marat-khlebny", "ru-marat-osmonov", "ru-khlebny-dom", "general director",
            startDate="2022-06-01"),
    company("ru-severny-ulov", "Severny Ulov", alias=["ООО «Северный улов»", "Severnyy Ulov LLC"],
            country="ru", incorporationDate="2016-09-02", innCode="5190887766",
            address="Murmansk, Russia", sector="Wholesale of fish and seafood", notes=FICTION),
    company("ru-sbs", "Sibirskie Bespilotnye Sistemy", alias=["АО «Сибирские беспилотные системы»", "SiBS"],
            country="ru", incorporationDate="2021-02-10", innCode="5404771203",
            addressEntity="ru-addr-novosibirsk", sector="Manufacture of unmanned aerial vehicles",
            notes=FICTION),
]

# -- Kyrgyzstan: fictional; v1 (before the story) -------------------------------
KG_STABLE: list[Entity] = [
    address("kg-addr-chui", "Chui Avenue 219, office 14, Bishkek 720001, Kyrgyzstan", "Bishkek", "kg"),
    person("kg-ruslan-osmonov", "Ruslan Osmonov", alias=["Руслан Темирович Осмонов", "Ruslan Temirovich Osmonov"],
           birthDate="1979-03-14", nationality="kg", notes=FICTION),
    person("kg-aigerim-osmonova", "Aigerim Osmonova", alias="Айгерим Осмонова", birthDate="1983-07-02",
           nationality="kg", notes=FICTION),
    ent("kg-fam-ruslan-aigerim", "Family", person="kg-ruslan-osmonov", relative="kg-aigerim-osmonova",
        relationship="spouse"),
    person("kg-aibek-sadyrov", "Aibek Sadyrov", alias="Айбек Садыров", birthDate="1971-11-23",
           nationality="kg", notes=FICTION),
    person("kg-nurlan-bekov", "Nurlan Bekov", alias="Нурлан Беков", birthDate="1999-05-30",
           nationality="kg", notes=FICTION),
    company("kg-tengri", "Tengri Holding", alias=["ОсОО «Тенгри Холдинг»", "Tengri Holding Ltd"],
            country="kg", jurisdiction="kg", registrationNumber="212345-3301-OOO",
            incorporationDate="2018-02-20", addressEntity="kg-addr-chui", sector="Holding company",
            notes=FICTION),
    owns("kg-own-ruslan-tengri", "kg-ruslan-osmonov", "kg-tengri", 75),
    owns("kg-own-aigerim-tengri", "kg-aigerim-osmonova", "kg-tengri", 25),
    company("kg-alatoo", "Alatoo Trade Bridge", alias=["ОсОО «Алатоо Трейд Бридж»", "Alatoo Trade Bridge LLC"],
            country="kg", jurisdiction="kg", registrationNumber="245678-3301-OOO",
            incorporationDate="2022-11-02", addressEntity="kg-addr-chui",
            sector="Wholesale trade in electronic components", notes=FICTION),
    owns("kg-own-sadyrov-alatoo", "kg-aibek-sadyrov", "kg-alatoo", 40),
    company("kg-issykkul", "Issyk-Kul Logistics", alias=["ОсОО «Иссык-Куль Логистикс»", "Issyk-Kul Logistics LLC"],
            country="kg", jurisdiction="kg", registrationNumber="251190-3301-OOO",
            incorporationDate="2023-01-12", sector="Freight forwarding", notes=FICTION),
    owns("kg-own-ruslan-issykkul", "kg-ruslan-osmonov", "kg-issykkul", 30),
    owns("kg-own-tengri-issykkul", "kg-tengri", "kg-issykkul", 25),
    owns("kg-own-sadyrov-issykkul", "kg-aibek-sadyrov", "kg-issykkul", 45),
    company("kg-chui-freight", "Chui Freight Forwarding", alias=["ОсОО «Чуй Фрейт»"],
            country="kg", jurisdiction="kg", registrationNumber="198877-3301-OOO",
            incorporationDate="2015-06-30", sector="Freight forwarding", notes=FICTION),
    owns("kg-own-tengri-chui", "kg-tengri", "kg-chui-freight", 40),
    owns("kg-own-sadyrov-chui", "kg-aibek-sadyrov", "kg-chui-freight", 60),
]
#: Vanish from the registry after the March 2025 story (written last in v1).
KG_REMOVED: list[Entity] = [
    owns("kg-own-tengri-alatoo", "kg-tengri", "kg-alatoo", 60, startDate="2022-11-02"),
    directs("kg-dir-ruslan-alatoo", "kg-ruslan-osmonov", "kg-alatoo", "director", startDate="2022-11-02"),
]
#: Appear in the registry after the story (v2 only).
KG_ADDED: list[Entity] = [
    owns("kg-own-bekov-alatoo", "kg-nurlan-bekov", "kg-alatoo", 60, startDate="2025-03-24"),
    directs("kg-dir-bekov-alatoo", "kg-nurlan-bekov", "kg-alatoo", "director", startDate="2025-03-24"),
]

# -- UAE free zone: fictional; one office shared by unrelated firms ----------
AE: list[Entity] = [
    address("ae-addr-saif", "Office Q1-05-112/B, SAIF Zone, Sharjah, United Arab Emirates", "Sharjah", "ae"),
    company("ae-falcon-crest", "Falcon Crest General Trading FZE",
            alias=["Falcon Crest General Trading", "فالكون كرست للتجارة العامة"], country="ae",
            jurisdiction="ae", registrationNumber="SAIF-21-40877", incorporationDate="2022-09-15",
            addressEntity="ae-addr-saif", sector="General trading", notes=FICTION),
    owns("ae-own-tengri-falcon", "kg-tengri", "ae-falcon-crest", 100),
    company("ae-oasis-marine", "Oasis Marine Foods FZE", country="ae", jurisdiction="ae",
            registrationNumber="SAIF-19-31102", incorporationDate="2019-03-03",
            addressEntity="ae-addr-saif", sector="Trading of frozen fish and seafood", notes=FICTION),
    company("ae-desert-pearl", "Desert Pearl Bakery Equipment FZE", country="ae", jurisdiction="ae",
            registrationNumber="SAIF-22-41530", incorporationDate="2022-10-04",
            addressEntity="ae-addr-saif", sector="Trading of bakery equipment", notes=FICTION),
]

# -- China, Hong Kong, Turkey, Kazakhstan ----------------------------------------
ASIA: list[Entity] = [
    company("cn-huasheng", "Shenzhen Huasheng Industry Co., Ltd.", alias="Shenzhen Huasheng Industry",
            country="cn", address="Shenzhen, China", sector="Drone parts"),
    company("cn-autel", "Autel Robotics Co., Ltd.", alias=["Autel Robotics", "Autel", "深圳市道通智能航空技术股份有限公司"],
            country="cn", address="Shenzhen, China", sector="Drones and drone parts"),
    ent("cn-hit", "Organization", name="Harbin Institute of Technology", alias=["HIT", "哈尔滨工业大学"],
        country="cn", address="Harbin, China"),
    person("hk-chen-haoran", "Chen Haoran", alias="陈浩然", birthDate="1984-10-08", nationality="cn",
           notes=FICTION),
    company("hk-kowloon-bright", "Kowloon Bright Electronics Limited", alias="九龍明亮電子有限公司",
            country="hk", jurisdiction="hk", registrationNumber="3124567", incorporationDate="2021-12-01",
            address="Unit 1203, 12/F, 88 Hung To Road, Kwun Tong, Kowloon, Hong Kong",
            sector="Trading of electronic components", notes=FICTION),
    owns("hk-own-chen-kowloon", "hk-chen-haoran", "hk-kowloon-bright", 100),
    directs("hk-dir-chen-kowloon", "hk-chen-haoran", "hk-kowloon-bright", "director"),
    company("cn-skyrun", "Shenzhen Skyrun Motor Technology Co., Ltd.", alias="深圳天跑电机科技有限公司",
            country="cn", registrationNumber="91440300MA5FSKY01X", incorporationDate="2017-05-19",
            address="Bao'an District, Shenzhen, China", sector="Manufacture of brushless motors",
            notes=FICTION),
    owns("cn-own-chen-skyrun", "hk-chen-haoran", "cn-skyrun", 51),
    directs("cn-dir-chen-skyrun", "hk-chen-haoran", "cn-skyrun", "legal representative"),
    company("cn-lingfei", "Shenzhen Lingfei Flight Control Technology Co., Ltd.", alias="深圳领飞飞控科技有限公司",
            country="cn", registrationNumber="91440300MA5GLF02Y", incorporationDate="2016-08-08",
            address="Nanshan District, Shenzhen, China",
            sector="Manufacture of flight controllers and speed controllers", notes=FICTION),
    company("cn-hengli", "Dongguan Hengli Battery Co., Ltd.", alias="东莞恒力电池有限公司", country="cn",
            registrationNumber="91441900MA4WHL03Z", address="Dongguan, Guangdong, China",
            sector="Manufacture of lithium polymer batteries", notes=FICTION),
    company("tr-bosphorus", "Bosphorus Avionics Dis Ticaret Ltd. Sti.",
            alias=["Bosphorus Avionics", "Bosphorus Avionics Dış Ticaret Limited Şirketi"], country="tr",
            jurisdiction="tr", registrationNumber="IST-889123", incorporationDate="2022-12-05",
            address="Ikitelli OSB, Basaksehir, Istanbul, Turkey", sector="Foreign trade", notes=FICTION),
    person("tr-selim-kaya", "Selim Kaya", birthDate="1977-01-19", nationality="tr", notes=FICTION),
    directs("tr-dir-kaya-bosphorus", "tr-selim-kaya", "tr-bosphorus", "managing director"),
    company("kz-steppe", "Steppe Components LLP", alias=["ТОО «Степь Компонентс»", "Step Components"],
            country="kz", jurisdiction="kz", registrationNumber="230140012345", incorporationDate="2023-01-20",
            address="Almaty, Kazakhstan", sector="Wholesale of electronic components", notes=FICTION),
    owns("kz-own-issykkul-steppe", "kg-issykkul", "kz-steppe", 70),
]

# -- Sanctions list: separate ids, as on a real list ----------------------------
OFAC = "US Department of the Treasury, Office of Foreign Assets Control (OFAC)"
UK = "United Kingdom, Foreign, Commonwealth and Development Office (OFSI list)"
EU = "European Union, Council of the EU"
BIS = "US Department of Commerce, Bureau of Industry and Security"
RUSSIA = "RUSSIA-EO14024"


def sanction(id_: str, entity: str, authority: str, program: str, start: str, **props: Any) -> Entity:
    return ent(id_, "Sanction", entity=entity, authority=authority, program=program, startDate=start, **props)


SANCTIONS: list[Entity] = [
    company("sl-aerohit", "AERO-HIT LLC", alias=["OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU AERO-KHIT", "Аэро-ХИТ"],
            country="ru", address="Khabarovsk, Russia"),
    sanction("sl-s-aerohit", "sl-aerohit", OFAC, RUSSIA, "2024-06-12",
             reason="Maker of Veles FPV drones used by Russian forces in Kherson."),
    company("sl-renovatsio", "RENOVATSIO-INVEST LLC", alias="Реновацио-Инвест", country="ru"),
    sanction("sl-s-renovatsio", "sl-renovatsio", OFAC, RUSSIA, "2024-06-12",
             reason="Procured Chinese-made drones on behalf of Aero-HIT."),
    company("sl-huasheng", "SHENZHEN HUASHENG INDUSTRY CO LTD", alias="Shenzhen Huasheng Industry Company Limited", country="cn"),
    sanction("sl-s-huasheng", "sl-huasheng", OFAC, RUSSIA, "2024-06-12",
             reason="Contracted to supply drone parts to Aero-HIT."),
    company("sl-autel", "AUTEL ROBOTICS CO., LTD.", alias=["Autel Robotics", "Autel"], country="cn"),
    sanction("sl-s-autel", "sl-autel", UK, "Russia", "2024-11",
             reason="Making available goods and technology that undermine Ukraine's sovereignty."),
    person("sl-basyuk", "Konstantin BASYUK", alias="Константин Басюк", nationality="ru"),
    sanction("sl-s-basyuk", "sl-basyuk", EU, "Russia / Ukraine territorial integrity", "2023"),
    ent("sl-hit", "Organization", name="HARBIN INSTITUTE OF TECHNOLOGY", alias=["HIT", "哈尔滨工业大学"], country="cn"),
    sanction("sl-s-hit", "sl-hit", BIS, "Entity List", "2020"),
    # fictional designations
    person("sl-osmonov", "Ruslan Temirovich OSMONOV", alias=["Руслан Осмонов", "Ruslan Osmonov"],
           birthDate="1979-03-14", nationality="kg", notes=FICTION),
    sanction("sl-s-osmonov", "sl-osmonov", OFAC, RUSSIA, "2025-01-15", summary=FICTION,
             reason="Owns and directs a network procuring drone components for Russian manufacturers."),
    company("sl-sbs", "SIBIRSKIE BESPILOTNYE SISTEMY AO", alias="АО «Сибирские беспилотные системы»",
            country="ru", innCode="5404771203", incorporationDate="2021-02-01", notes=FICTION),
    sanction("sl-s-sbs", "sl-sbs", OFAC, RUSSIA, "2024-08-23", summary=FICTION,
             reason="Operates in the technology sector of the Russian Federation economy (UAV production)."),
    company("sl-kowloon", "KOWLOON BRIGHT ELECTRONICS LIMITED", alias="九龍明亮電子有限公司", country="hk",
            registrationNumber="3124567", notes=FICTION),
    sanction("sl-s-kowloon", "sl-kowloon", UK, "Russia", "2025-05-20", summary=FICTION,
             reason="Supplied drone motors to Russia through Central Asian intermediaries."),
]


def write(path: Path, entities: list[Entity]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for entity in entities:
            fh.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")


def main() -> None:
    reg = HERE / "registry"
    write(reg / "v1" / "ru-egrul.ftm.jsonl", RU)
    write(reg / "v1" / "kg-registry.ftm.jsonl", KG_STABLE + KG_REMOVED)
    write(reg / "v1" / "ae-freezone.ftm.jsonl", AE)
    write(reg / "v1" / "asia-registries.ftm.jsonl", ASIA)
    write(reg / "v2" / "kg-registry.ftm.jsonl", KG_STABLE + KG_ADDED)
    write(HERE / "sanctions" / "sanctions.ftm.jsonl", SANCTIONS)


if __name__ == "__main__":
    main()
