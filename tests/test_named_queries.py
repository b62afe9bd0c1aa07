"""Each named query returns exactly the fact sheet's answer.

The expected rows were read off the fact sheet (graph/source/) and checked
by hand: IRIs are shown as CURIEs, literals by their lexical form, unbound
values as "". Queries with ORDER BY are compared in order, others as sets.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from mxgraph.namespaces import curie
from mxgraph.query import SelectResult, list_named_queries, parse_term, run_query
from mxgraph.store import MxStore, open_store


@pytest.fixture(scope="module")
def bundled_store() -> MxStore:
    return open_store()


def cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    return str(term)


EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "agreements": [
        # p07s3: "Eleven Pacific Rim countries, including Mexico, signed" the CPTPP (#9).
        (
            "Comprehensive and Progressive Trans-Pacific Partnership",
            "trade agreement",
            "Mexico, Pacific Rim countries that signed the CPTPP",
            "2018-03-08",
        ),
        # Plurals the source does not enumerate are groups, not one agreement each (#9).
        (
            "Mexico's free trade agreements with Latin American partners",
            "group of trade agreements",
            "Mexico, Mexico's Latin American free trade partners",
            "",
        ),
        ("Mexico–EU free trade agreement", "trade agreement", "European Union, Mexico", ""),
        ("Mexico–Japan free trade agreement", "trade agreement", "Japan, Mexico", ""),
        # The agreement the CPTPP renamed (p07s3); the source gives no parties or date (#9).
        ("Trans-Pacific Partnership", "trade agreement", "", ""),
        (
            "Trilateral agreement to expand trusted traveler programs",
            "agreement",
            "Canada, Mexico, United States",
            "",
        ),
        (
            "U.S.–Mexico agreements on border health, wildlife and national parks",
            "group of agreements",
            "Mexico, United States",
            "",
        ),
        (
            "U.S.–Mexico telecommunications agreements on mobile broadband services",
            "group of agreements",
            "Mexico, United States",
            "",
        ),
        ("U.S.–Mexico treaty creating the IBWC", "treaty", "Mexico, United States", ""),
        (
            "United States-Mexico-Canada Agreement",
            "trade agreement",
            "Canada, Mexico, United States",
            "2018",
        ),
    ],
    "areas-of-cooperation": [
        # p06s1: "cooperate on hemispheric and global challenges, such as ..." (#9).
        (
            "U.S.–Canada–Mexico cooperation on hemispheric and global challenges",
            "hemispheric and global challenges",
        ),
        (
            "U.S.–Canada–Mexico cooperation on hemispheric and global challenges",
            "managing trans-border infectious diseases",
        ),
        (
            "U.S.–Canada–Mexico cooperation on hemispheric and global challenges",
            "transnational organized crime",
        ),
        ("U.S.–Mexico cooperation along the border", "border security"),
        ("U.S.–Mexico cooperation along the border", "cross-border infrastructure"),
        ("U.S.–Mexico cooperation along the border", "environment"),
        ("U.S.–Mexico cooperation along the border", "health"),
        ("U.S.–Mexico cooperation along the border", "migration"),
        ("U.S.–Mexico cooperation along the border", "natural resources"),
        ("U.S.–Mexico cooperation along the border", "transportation and customs issues"),
        ("U.S.–Mexico cooperation along the border", "transportation planning"),
        ("U.S.–Mexico cooperation on environmental and natural resource issues", "environment"),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "health of border residents",
        ),
        ("U.S.–Mexico cooperation on environmental and natural resource issues", "national parks"),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "natural resources",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "wildlife and migratory birds",
        ),
        ("U.S.–Mexico relations", "citizen security"),
        ("U.S.–Mexico relations", "drug control"),
        ("U.S.–Mexico relations", "education exchange"),
        ("U.S.–Mexico relations", "energy cooperation"),
        ("U.S.–Mexico relations", "entrepreneurship and innovation"),
        ("U.S.–Mexico relations", "migration"),
        ("U.S.–Mexico relations", "trade and economic reform"),
        (
            "U.S.–Mexico telecommunications cooperation in the border area",
            "telecommunications services",
        ),
        # p12s3: "We continue to hold regular consultations on telecommunications" (#9).
        ("regular U.S.–Mexico consultations on telecommunications", "telecommunications services"),
    ],
    "border-facts": [
        ("Active ports of entry on the U.S.–Mexico border", "55", "", "", "port of entry", "", ""),
        (
            "Combined population of the border region",
            "15000000",
            "",
            "",
            "person",
            "",
            "approximately",
        ),
        (
            "Legal border crossings each day",
            "",
            "100000",
            "1000000",
            "border crossing",
            "day",
            "hundreds of thousands",
        ),
        ("Length of the U.S.–Mexico border", "2000", "", "", "mile", "", ""),
    ],
    "border-mechanisms": [
        (
            "U.S.–Mexico cooperation along the border",
            "Border Master Plans",
            "group of programs",
            "",
            "coordinating infrastructure and development",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "Border 2020 Program",
            "program",
            "",
            "",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "Border Health Commission",
            "commission",
            "",
            "",
        ),
        # The CEC is both a commission and an international organization: one row with both
        # kinds, not two rows (#10).
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "North American Commission for Environmental Cooperation",
            "commission, international organization",
            "",
            "",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "North American Development Bank",
            "international organization",
            "",
            "",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "U.S.–Mexico agreements on border health, wildlife and national parks",
            "group of agreements",
            "",
            "",
        ),
        (
            "U.S.–Mexico telecommunications cooperation in the border area",
            "U.S.–Mexico telecommunications agreements on mobile broadband services",
            "group of agreements",
            "",
            "",
        ),
    ],
    "dollar-figures": [
        # The sentence column is now source, checked in SOURCES (#10).
        (
            "Two-way U.S.–Mexico trade in goods and services, 2018",
            "trade value",
            "678000000000",
            "USD",
            "",
            "",
            "2018",
        ),
        (
            "Stock of U.S. foreign direct investment in Mexico",
            "investment stock",
            "109700000000",
            "USD",
            "",
            "",
            "the fact sheet's present (date not stated)",
        ),
        (
            "Stock of Mexican investment in the United States",
            "investment stock",
            "18000000000",
            "USD",
            "",
            "",
            "the fact sheet's present (date not stated)",
        ),
        (
            "U.S. appropriations under the Merida Initiative, 2008–2018",
            "appropriation",
            "2800000000",
            "USD",
            "",
            "",
            "2008–2018",
        ),
        (
            "Two-way U.S.–Mexico trade each day",
            "trade value",
            "1700000000",
            "USD",
            "day",
            "some",
            "the fact sheet's present (date not stated)",
        ),
    ],
    "embassy": [
        (
            "Embassy of Mexico in the United States",
            "Mexico",
            "1911 Pennsylvania Ave. NW",
            "Washington",
            "DC",
            "20006",
            "202-728-1600",
        ),
    ],
    "exchange-program-targets": [
        # New (#10): whom the exchange programs serve, said of the series or of one program.
        ("U.S. exchange programs with Mexico", "civil society", "the whole series"),
        ("U.S. exchange programs with Mexico", "entrepreneurs", "the whole series"),
        ("U.S. exchange programs with Mexico", "girls", "the whole series"),
        ("U.S. exchange programs with Mexico", "students", "the whole series"),
        ("U.S. exchange programs with Mexico", "young leaders", "the whole series"),
        ("Study of the U.S. Institutes", "Afro-Mexican populations", "one program"),
        ("Study of the U.S. Institutes", "indigenous populations", "one program"),
    ],
    "exchange-programs": [
        # Each program's own targets only (#10): the five groups p14s2 and p14s3 give the
        # whole series are in exchange-program-targets; SUSI alone targets two groups of its own
        # (p14s4), as describe SUSI says.
        ("Access program", "English language programs", ""),
        ("Ambassador's Fund for Cultural Preservation", "", ""),
        ("English Language Fellows", "English language programs", ""),
        ("Jóvenes en Acción", "leadership programs", ""),
        (
            "Study of the U.S. Institutes",
            "leadership programs",
            "Afro-Mexican populations, indigenous populations",
        ),
        ("Young Leaders of the Americas Initiative", "leadership programs", ""),
        ("music diplomacy", "", ""),
        ("sports diplomacy", "", ""),
    ],
    "fact-provenance": [
        # The sentence column is now source, checked in SOURCES (#10).
        ("Active ports of entry on the U.S.–Mexico border", "U.S.-MEXICO RELATIONS", "239", "596"),
        (
            "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
            "U.S.-MEXICO RELATIONS",
            "239",
            "596",
        ),
        ("Length of the U.S.–Mexico border", "U.S.-MEXICO RELATIONS", "239", "596"),
        ("Legal border crossings each day", "U.S.-MEXICO RELATIONS", "693", "870"),
        ("Two-way U.S.–Mexico trade each day", "U.S.-MEXICO RELATIONS", "693", "870"),
        (
            "Mexico as the top foreign destination for U.S. travelers",
            "U.S.-MEXICO RELATIONS",
            "871",
            "987",
        ),
        ("U.S. citizens living in Mexico", "U.S.-MEXICO RELATIONS", "871", "987"),
        (
            "Mexico as the second-largest U.S. export market",
            "Bilateral Economic Issues",
            "1016",
            "1148",
        ),
        (
            "Mexico as the third-largest U.S. trading partner",
            "Bilateral Economic Issues",
            "1016",
            "1148",
        ),
        (
            "Two-way U.S.–Mexico trade in goods and services, 2018",
            "Bilateral Economic Issues",
            "1149",
            "1215",
        ),
        (
            "Share of Mexico's exports going to the United States, 2018",
            "Bilateral Economic Issues",
            "1346",
            "1417",
        ),
        (
            "Mexico as the largest export market for U.S. natural gas in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
        ),
        (
            "Mexico as the largest export market for U.S. refined petroleum products in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
        ),
        (
            "Mexico as the third-largest supplier of foreign crude oil to the United States in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
        ),
        (
            "Stock of Mexican investment in the United States",
            "Bilateral Economic Issues",
            "1710",
            "1875",
        ),
        (
            "Stock of U.S. foreign direct investment in Mexico",
            "Bilateral Economic Issues",
            "1710",
            "1875",
        ),
        (
            "Mexico as the nation with free trade agreements with the most countries",
            "Bilateral Economic Issues",
            "2242",
            "2440",
        ),
        (
            "Pacific Rim countries that signed the CPTPP",
            "Bilateral Economic Issues",
            "2669",
            "2806",
        ),
        ("Combined population of the border region", "U.S.-Mexico Border", "3571", "3657"),
        (
            "Meetings of the Binational Bridges and Border Crossings Group each year",
            "U.S.-Mexico Border",
            "4162",
            "4378",
        ),
        ("U.S. and Mexican border states", "U.S.-Mexico Border", "4379", "4460"),
        (
            "Years of U.S.–Mexico telecommunications cooperation in the border area",
            "U.S.-Mexico Border",
            "5539",
            "5651",
        ),
        (
            "Fulbright in Mexico as one of the largest Fulbright programs in the world",
            "Educational and Cultural Exchanges",
            "7004",
            "7091",
        ),
        (
            "Students who have received Fulbright-García Robles scholarships since 1990",
            "Educational and Cultural Exchanges",
            "7092",
            "7304",
        ),
        (
            "U.S. appropriations under the Merida Initiative, 2008–2018",
            "U.S. Security Cooperation with Mexico",
            "7909",
            "8054",
        ),
    ],
    "figure-source": [
        # New (#10): without --bind, every figure's numbers (see test_figure_source_by_value).
        (
            "",
            "Meetings of the Binational Bridges and Border Crossings Group each year",
            "3",
            "value",
            "meeting",
        ),
        ("", "U.S. and Mexican border states", "10", "value", "state"),
        ("", "Pacific Rim countries that signed the CPTPP", "11", "value", "country"),
        (
            "",
            "Years of U.S.–Mexico telecommunications cooperation in the border area",
            "50",
            "exclusive lower bound",
            "",
        ),
        ("", "Active ports of entry on the U.S.–Mexico border", "55", "value", "port of entry"),
        (
            "",
            "Share of Mexico's exports going to the United States, 2018",
            "80",
            "value",
            "percent",
        ),
        ("", "Length of the U.S.–Mexico border", "2000", "value", "mile"),
        (
            "",
            "Students who have received Fulbright-García Robles scholarships since 1990",
            "3500",
            "exclusive lower bound",
            "person",
        ),
        ("", "Legal border crossings each day", "100000", "lower bound", "border crossing"),
        (
            "",
            "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
            "1000000",
            "lower bound",
            "person",
        ),
        (
            "",
            "Legal border crossings each day",
            "1000000",
            "exclusive upper bound",
            "border crossing",
        ),
        ("", "U.S. citizens living in Mexico", "1500000", "value", "person"),
        ("", "Combined population of the border region", "15000000", "value", "person"),
        (
            "",
            "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
            "1000000000",
            "exclusive upper bound",
            "person",
        ),
        ("", "Two-way U.S.–Mexico trade each day", "1700000000", "value", ""),
        (
            "",
            "U.S. appropriations under the Merida Initiative, 2008–2018",
            "2800000000",
            "value",
            "",
        ),
        ("", "Stock of Mexican investment in the United States", "18000000000", "value", ""),
        ("", "Stock of U.S. foreign direct investment in Mexico", "109700000000", "value", ""),
        ("", "Two-way U.S.–Mexico trade in goods and services, 2018", "678000000000", "value", ""),
    ],
    "fulbright": [
        ("1948", "1990", "Mexico, United States", "3500", "more than", "since 1990"),
    ],
    "further-information": [
        ("CIA World Factbook Mexico Page", "CIA"),
        (
            "Department of Commerce: 2014 Mid-Year Review of High Level Economic Dialogue Progress",
            "Department of Commerce",
        ),
        (
            "Department of Energy: U.S. Energy Information Administration (EIA) Analysis",
            "U.S. Energy Information Administration",
        ),
        ("Export.gov International Offices Page", ""),
        ("History of U.S. Relations With Mexico", ""),
        (
            "International Boundary and Water Commission, U.S. Section Page",
            "International Boundary and Water Commission, U.S. Section",
        ),
        ("Library of Congress Country Studies", "Library of Congress"),
        (
            "Office of the U.S. Trade Representative Countries Page",
            "Office of the U.S. Trade Representative",
        ),
        ("Travel Information", ""),
        (
            "Trilateral Agreement with United States, Canada, and Mexico to Expand Trusted Traveler Programs",
            "",
        ),
        ("U.S. Census Bureau Foreign Trade Statistics", "U.S. Census Bureau"),
        ("U.S. Embassy", ""),
        ("USAID Mexico Page", "U.S. Agency for International Development"),
    ],
    "ibwc": [
        # One row (#10): parties and responsibilities were a cross product of four rows.
        (
            "U.S.–Mexico treaty creating the IBWC",
            "Mexico, United States",
            "boundary preservation issues; water resource issues",
        ),
    ],
    "merida-initiative": [
        ("aim", "cooperation between U.S. and Mexican law enforcement"),
        # p18s2: "... to disrupt the business model of transnational crime" (#9).
        ("aim", "disrupting the business model of transnational crime"),
        ("aim", "drug trafficking"),
        ("aim", "human rights"),
        ("aim", "rule of law"),
        ("aim", "transnational organized crime"),
        ("appropriated (USD)", "2800000000 in 2008–2018"),
        # p18s5 says "our cooperation with Mexico" fights fentanyl, heroin and synthetic
        # drugs, not the Merida Initiative: those three rows left with the claim (#9).
        ("partner", "Mexico"),
        ("partner", "United States"),
        ("provides", "capacity building support"),
        ("provides", "equipment"),
        ("provides", "technical assistance"),
        ("provides", "training"),
        ("works with", "U.S. and Mexican law enforcement agencies"),
        ("works with", "judges"),
        ("works with", "prosecutors"),
    ],
    "mexico-organizations": [
        # The sentence column is now source: the sentence that states the membership, not
        # those that mention the organization (#10).
        ("Asia-Pacific Economic Cooperation", "member"),
        ("International Energy Agency", "member"),
        ("International Maritime Organization", "member"),
        ("International Monetary Fund", "member"),
        ("Organization for Economic Cooperation and Development", "member"),
        ("Wassenaar Arrangement", "member"),
        ("World Bank", "member"),
        ("World Trade Organization", "member"),
        ("Organization of American States", "supporter"),
        ("United Nations", "supporter"),
    ],
    "mexico-rankings": [
        ("export market for natural gas", "1", "United States", "", "2018"),
        ("export market for refined petroleum products", "1", "United States", "", "2018"),
        ("foreign destination for travelers", "1", "United States", "", ""),
        ("number of countries with free trade agreements", "1", "", "", ""),
        ("export market", "2", "United States", "Canada", ""),
        ("supplier of foreign crude oil", "3", "United States", "", "2018"),
        ("trading partner", "3", "United States", "Canada, China", ""),
    ],
    "pacific-alliance": [
        (
            "Chile, Colombia, Mexico, Peru",
            "2012",
            "facilitating the movement of citizens; liberalizing trade and investment; regional economic integration",
        ),
    ],
    "programs-agencies-targets": [
        ("100,000 Strong in the Americas", "run by", "United States", "students"),
        (
            "Merida Initiative",
            "funded by",
            "United States",
            "U.S. and Mexican law enforcement agencies, judges, prosecutors",
        ),
        # p18s6: Merida complements "Mexico's much larger investment in building the
        # capacity of Mexican institutions", now a program funded by Mexico (#9).
        (
            "Mexico's investment in building the capacity of Mexican institutions",
            "funded by",
            "Mexico",
            "",
        ),
        ("Pacific Alliance", "launched by", "Chile", ""),
        ("Pacific Alliance", "launched by", "Colombia", ""),
        ("Pacific Alliance", "launched by", "Mexico", ""),
        ("Pacific Alliance", "launched by", "Peru", ""),
        (
            "U.S. exchange programs with Mexico",
            "run by",
            "United States",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        (
            "USAID programs under the Merida Initiative",
            "run by",
            "U.S. Agency for International Development",
            "communities",
        ),
    ],
    "qualified-figures": [
        (
            "Fulbright in Mexico as one of the largest Fulbright programs in the world",
            "among the top",
            "one of the largest",
            "",
            "",
        ),
        (
            "Combined population of the border region",
            "approximate",
            "approximately",
            "15000000",
            "",
        ),
        (
            "Share of Mexico's exports going to the United States, 2018",
            "approximate",
            "about",
            "80",
            "",
        ),
        ("Two-way U.S.–Mexico trade each day", "approximate", "some", "1700000000", ""),
        # "more than" is an exclusive lower bound, not a value (#9).
        (
            "Students who have received Fulbright-García Robles scholarships since 1990",
            "lower bound",
            "more than",
            "",
            "3500",
        ),
        (
            "Years of U.S.–Mexico telecommunications cooperation in the border area",
            "lower bound",
            "more than",
            "",
            "50",
        ),
        # p03s2's "millions of Americans" (#9).
        (
            "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
            "order of magnitude",
            "millions of",
            "",
            "1000000",
        ),
        (
            "Legal border crossings each day",
            "order of magnitude",
            "hundreds of thousands",
            "",
            "100000",
        ),
    ],
    "shared-organizations": [
        ("mxd:apec", "Asia-Pacific Economic Cooperation", "APEC", ""),
        ("mxd:iea", "International Energy Agency", "IEA", "wd:Q826700"),
        ("mxd:imo", "International Maritime Organization", "IMO", "wd:Q201054"),
        ("mxd:imf", "International Monetary Fund", "IMF", "wd:Q7804"),
        ("mxd:oecd", "Organization for Economic Cooperation and Development", "OECD", "wd:Q41550"),
        ("mxd:wassenaar-arrangement", "Wassenaar Arrangement", "", ""),
        ("mxd:world-bank", "World Bank", "WB", "wd:Q7164"),
        ("mxd:wto", "World Trade Organization", "WTO", "wd:Q7825"),
    ],
    "special-301": [
        # One row (#10): the challenges joined, not one row per challenge.
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "IPR enforcement; counterfeit goods; ineffective IP enforcement; long-awaited updates to Mexico's copyright and enforcement laws; online piracy",
        ),
    ],
    "trilateral-cooperation": [
        # New (#10): what the three countries do together.
        (
            "Trilateral agreement to expand trusted traveler programs",
            "agreement",
            "expanding trusted traveler programs",
        ),
        (
            "U.S.–Canada–Mexico cooperation on hemispheric and global challenges",
            "cooperation",
            "hemispheric and global challenges; managing trans-border infectious diseases; transnational organized crime",
        ),
        (
            "United States-Mexico-Canada Agreement",
            "trade agreement",
            "the needs of the twenty-first century economy",
        ),
    ],
    "us-exports": [
        ("natural gas", "export market for natural gas", "1"),
        ("refined petroleum products", "export market for refined petroleum products", "1"),
        ("crude oil", "supplier of foreign crude oil", "3"),
        ("electrical machinery", "top U.S. export to Mexico", ""),
        ("machinery", "top U.S. export to Mexico", ""),
        ("mineral fuels", "top U.S. export to Mexico", ""),
        ("plastics", "top U.S. export to Mexico", ""),
        ("vehicles", "top U.S. export to Mexico", ""),
    ],
    "usaid-programs": [
        ("USAID programs under the Merida Initiative", "Merida Initiative", "citizen security"),
        (
            "USAID programs under the Merida Initiative",
            "Merida Initiative",
            "helping communities resist the effects of crime and violence",
        ),
        (
            "USAID programs under the Merida Initiative",
            "Merida Initiative",
            "implementation of criminal justice constitutional reforms",
        ),
    ],
}

#: The sentences each row's source column joins, in document order, by sentence id (the
#: row's statements are in those sentences' named graphs; figures cite theirs).
SOURCES: dict[str, list[tuple[str, ...]]] = {
    "agreements": [
        ("p07s3",),
        ("p07s1",),
        ("p07s1",),
        ("p07s1",),
        ("p07s3",),
        ("p38s1",),
        ("p11s2",),
        ("p12s2",),
        ("p11s3",),
        ("p06s2",),
    ],
    "areas-of-cooperation": [
        ("p06s1",),
        ("p06s1",),
        ("p06s1",),
        ("p10s2",),
        ("p10s2",),
        ("p10s2",),
        ("p10s2",),
        ("p10s2",),
        ("p10s2",),
        ("p10s6",),
        ("p10s2",),
        ("p11s1",),
        ("p11s2",),
        ("p11s2",),
        ("p11s1",),
        ("p11s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p12s1",),
        ("p12s3",),
    ],
    "border-facts": [
        ("p03s2",),
        ("p10s1",),
        ("p03s4",),
        ("p03s2",),
    ],
    "border-mechanisms": [
        ("p10s6",),
        ("p11s2",),
        ("p11s2",),
        ("p11s2",),
        ("p11s2",),
        ("p11s2",),
        ("p12s2",),
    ],
    "dollar-figures": [
        ("p05s2",),
        ("p05s7",),
        ("p05s7",),
        ("p18s3",),
        ("p03s4",),
    ],
    "embassy": [
        ("p24s1",),
    ],
    "exchange-program-targets": [
        ("p14s2",),
        ("p14s2",),
        ("p14s3",),
        ("p14s2",),
        ("p14s2",),
        ("p14s4",),
        ("p14s4",),
    ],
    "exchange-programs": [
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
        ("p14s4",),
    ],
    "fact-provenance": [
        ("p03s2",),
        ("p03s2",),
        ("p03s2",),
        ("p03s4",),
        ("p03s4",),
        ("p03s5",),
        ("p03s5",),
        ("p05s1",),
        ("p05s1",),
        ("p05s2",),
        ("p05s4",),
        ("p05s5",),
        ("p05s5",),
        ("p05s5",),
        ("p05s7",),
        ("p05s7",),
        ("p07s1",),
        ("p07s3",),
        ("p10s1",),
        ("p10s4",),
        ("p10s5",),
        ("p12s1",),
        ("p16s1",),
        ("p16s2",),
        ("p18s3",),
    ],
    "figure-source": [
        ("p10s4",),
        ("p10s5",),
        ("p07s3",),
        ("p12s1",),
        ("p03s2",),
        ("p05s4",),
        ("p03s2",),
        ("p16s2",),
        ("p03s4",),
        ("p03s2",),
        ("p03s4",),
        ("p03s5",),
        ("p10s1",),
        ("p03s2",),
        ("p03s4",),
        ("p18s3",),
        ("p05s7",),
        ("p05s7",),
        ("p05s2",),
    ],
    "fulbright": [
        ("p16s1", "p16s2"),
    ],
    "further-information": [
        ("p26s1",),
        ("p37s1",),
        ("p36s1",),
        ("p32s1",),
        ("p29s1",),
        ("p34s1",),
        ("p33s1",),
        ("p30s1",),
        ("p35s1",),
        ("p38s1",),
        ("p31s1",),
        ("p27s1",),
        ("p28s1",),
    ],
    "ibwc": [
        ("p11s3",),
    ],
    "merida-initiative": [
        ("p18s2",),
        ("p18s2",),
        ("p18s1",),
        ("p18s1",),
        ("p18s1",),
        ("p18s1",),
        ("p18s3",),
        ("p18s1",),
        ("p18s1",),
        ("p18s3",),
        ("p18s3", "p18s6"),
        ("p18s6",),
        ("p18s3", "p18s6"),
        ("p18s2",),
        ("p18s2",),
        ("p18s2",),
    ],
    "mexico-organizations": [
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s1",),
        ("p21s1",),
    ],
    "mexico-rankings": [
        ("p05s5",),
        ("p05s5",),
        ("p03s5",),
        ("p07s1",),
        ("p05s1",),
        ("p05s5",),
        ("p05s1",),
    ],
    "pacific-alliance": [
        ("p07s2",),
    ],
    "programs-agencies-targets": [
        ("p15s2",),
        ("p18s3",),
        ("p18s6",),
        ("p07s2",),
        ("p07s2",),
        ("p07s2",),
        ("p07s2",),
        ("p14s1",),
        ("p19s1", "p19s2"),
    ],
    "qualified-figures": [
        ("p16s1",),
        ("p10s1",),
        ("p05s4",),
        ("p03s4",),
        ("p16s2",),
        ("p12s1",),
        ("p03s2",),
        ("p03s4",),
    ],
    "shared-organizations": [
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
        ("p21s2",),
    ],
    "special-301": [
        ("p08s2", "p08s3", "p08s4"),
    ],
    "trilateral-cooperation": [
        ("p38s1",),
        ("p06s1",),
        ("p06s2",),
    ],
    "us-exports": [
        ("p05s5",),
        ("p05s5",),
        ("p05s5",),
        ("p05s6",),
        ("p05s6",),
        ("p05s6",),
        ("p05s6",),
        ("p05s6",),
    ],
    "usaid-programs": [
        ("p19s1", "p19s2"),
        ("p19s1", "p19s2"),
        ("p19s1", "p19s2"),
    ],
}


@pytest.fixture(scope="module")
def sentence_text(bundled_store: MxStore) -> dict[str, str]:
    """The text of each source sentence, by sentence id (``p14s4``)."""
    result = run_query(
        bundled_store, "SELECT ?s ?text { ?s a mx:SourceSentence ; oa:hasSelector/oa:exact ?text }"
    )
    assert isinstance(result, SelectResult)
    return {cell(row[0]).removeprefix("mxd:"): cell(row[1]) for row in result.rows}


def test_every_named_query_has_expected_rows() -> None:
    names = {query.name for query in list_named_queries()}
    assert names == set(EXPECTED) == set(SOURCES)
    assert len(names) >= 24
    for name, rows in EXPECTED.items():
        assert len(SOURCES[name]) == len(rows), name


@pytest.mark.parametrize("query", list_named_queries(), ids=lambda q: q.name)
def test_named_query_answer(bundled_store: MxStore, sentence_text, query) -> None:  # type: ignore[no-untyped-def]
    assert query.title and query.question and query.description
    result = run_query(bundled_store, query.sparql)
    assert isinstance(result, SelectResult)
    rows = [tuple(cell(term) for term in row) for row in result.rows]
    expected = [
        (*row, " | ".join(sentence_text[s] for s in sources))
        for row, sources in zip(EXPECTED[query.name], SOURCES[query.name], strict=True)
    ]
    if "ORDER BY" in query.sparql.split("WHERE", 1)[-1].rsplit("}", 1)[-1]:
        assert rows == expected
    else:
        assert sorted(rows) == sorted(expected)


@pytest.mark.parametrize("query", list_named_queries(), ids=lambda q: q.name)
def test_every_row_quotes_its_source(bundled_store: MxStore, sentence_text, query) -> None:  # type: ignore[no-untyped-def]
    """The last column is ``source``: in every row, whole sentences of the fact sheet (#10)."""
    result = run_query(bundled_store, query.sparql)
    assert isinstance(result, SelectResult)
    assert str(result.variables[-1]).lstrip("?") == "source"
    assert result.rows
    sentences = set(sentence_text.values())
    for row in result.rows:
        source = cell(row[-1])
        assert source
        assert all(part in sentences for part in source.split(" | ")), source


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2800000000",
            [("U.S. appropriations under the Merida Initiative, 2008–2018", "value", "p18s3")],
        ),
        (
            "$2.8 billion",
            [("U.S. appropriations under the Merida Initiative, 2008–2018", "value", "p18s3")],
        ),
        ("2,000", [("Length of the U.S.–Mexico border", "value", "p03s2")]),
        ("15 million people", [("Combined population of the border region", "value", "p10s1")]),
        (
            "3500",
            [
                (
                    "Students who have received Fulbright-García Robles scholarships since 1990",
                    "exclusive lower bound",
                    "p16s2",
                )
            ],
        ),
        (
            '"1000000"^^xsd:integer',
            [
                (
                    "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
                    "lower bound",
                    "p03s2",
                ),
                ("Legal border crossings each day", "exclusive upper bound", "p03s4"),
            ],
        ),
        ("no number", []),
    ],
)
def test_figure_source_by_value(
    bundled_store: MxStore, sentence_text, value: str, expected
) -> None:  # type: ignore[no-untyped-def]
    """``--bind value=...`` matches values and bounds by number, read from text (#10)."""
    query = next(q for q in list_named_queries() if q.name == "figure-source")
    result = run_query(bundled_store, query.sparql, bindings={"value": parse_term(value)})
    assert isinstance(result, SelectResult)
    rows = [(cell(row[1]), cell(row[3]), cell(row[-1])) for row in result.rows]
    assert rows == [(figure, kind, sentence_text[s]) for figure, kind, s in expected]
