"""Each named query returns exactly the fact sheet's answer.

The expected rows were read off the fact sheet (graph/source/) and checked
by hand: IRIs are shown as CURIEs, literals by their lexical form, unbound
values as "". Queries with ORDER BY are compared in order, others as sets.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from mxgraph.namespaces import curie
from mxgraph.query import SelectResult, list_named_queries, run_query
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
        # Border Master Plans, "a variety of other agreements" and the telecommunications
        # "Agreements" are groups the source does not enumerate (#9).
        (
            "U.S.–Mexico cooperation along the border",
            "Border Master Plans",
            "group of programs",
            "",
            "coordinating infrastructure and development",
        ),
        # No sentence says border cooperation is conducted under the Executive Steering
        # Committee or the Bridges Group (#9): those two rows were dropped with the claim.
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
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "North American Commission for Environmental Cooperation",
            "commission",
            "",
            "",
        ),
        (
            "U.S.–Mexico cooperation on environmental and natural resource issues",
            "North American Commission for Environmental Cooperation",
            "international organization",
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
        (
            "Two-way U.S.–Mexico trade in goods and services, 2018",
            "trade value",
            "678000000000",
            "USD",
            "",
            "",
            "2018",
            "In 2018, two-way trade in goods and services totaled $678 billion.",
        ),
        (
            "Stock of U.S. foreign direct investment in Mexico",
            "investment stock",
            "109700000000",
            "USD",
            "",
            "",
            "the fact sheet's present (date not stated)",
            "The stock of foreign direct investment by U.S. companies in Mexico stands at $109.7 billion, while reciprocal Mexican investment in the United States is $18 billion.",
        ),
        (
            "Stock of Mexican investment in the United States",
            "investment stock",
            "18000000000",
            "USD",
            "",
            "",
            "the fact sheet's present (date not stated)",
            "The stock of foreign direct investment by U.S. companies in Mexico stands at $109.7 billion, while reciprocal Mexican investment in the United States is $18 billion.",
        ),
        (
            "U.S. appropriations under the Merida Initiative, 2008–2018",
            "appropriation",
            "2800000000",
            "USD",
            "",
            "",
            "2008–2018",
            "From 2008-2018, the United States has appropriated $2.8 billion in equipment, training and capacity building support under the Merida Initiative.",
        ),
        (
            "Two-way U.S.–Mexico trade each day",
            "trade value",
            "1700000000",
            "USD",
            "day",
            "some",
            "the fact sheet's present (date not stated)",
            "It encompasses extensive commercial, cultural, and educational ties, with some 1.7 billion dollars of two-way trade and hundreds of thousands of legal border crossings each day.",
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
    "exchange-programs": [
        (
            "Access program",
            "English language programs",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        (
            "Ambassador's Fund for Cultural Preservation",
            "",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        (
            "English Language Fellows",
            "English language programs",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        (
            "Jóvenes en Acción",
            "leadership programs",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        (
            "Study of the U.S. Institutes",
            "leadership programs",
            "Afro-Mexican populations, civil society, entrepreneurs, girls, indigenous populations, students, young leaders",
        ),
        (
            "Young Leaders of the Americas Initiative",
            "leadership programs",
            "civil society, entrepreneurs, girls, students, young leaders",
        ),
        ("music diplomacy", "", "civil society, entrepreneurs, girls, students, young leaders"),
        ("sports diplomacy", "", "civil society, entrepreneurs, girls, students, young leaders"),
    ],
    "fact-provenance": [
        (
            "Active ports of entry on the U.S.–Mexico border",
            "U.S.-MEXICO RELATIONS",
            "239",
            "596",
            "The two countries share a 2,000-mile border with 55 active ports of entry, and bilateral relations between the two have a direct impact on the lives and livelihoods of millions of Americans, whether the issue is trade and economic reform, education exchange, citizen security, drug control, migration, entrepreneurship and innovation, or energy cooperation.",
        ),
        # p03s2's "millions of Americans" is a figure too (#9).
        (
            "Americans whose lives and livelihoods U.S.–Mexico relations directly affect",
            "U.S.-MEXICO RELATIONS",
            "239",
            "596",
            "The two countries share a 2,000-mile border with 55 active ports of entry, and bilateral relations between the two have a direct impact on the lives and livelihoods of millions of Americans, whether the issue is trade and economic reform, education exchange, citizen security, drug control, migration, entrepreneurship and innovation, or energy cooperation.",
        ),
        (
            "Length of the U.S.–Mexico border",
            "U.S.-MEXICO RELATIONS",
            "239",
            "596",
            "The two countries share a 2,000-mile border with 55 active ports of entry, and bilateral relations between the two have a direct impact on the lives and livelihoods of millions of Americans, whether the issue is trade and economic reform, education exchange, citizen security, drug control, migration, entrepreneurship and innovation, or energy cooperation.",
        ),
        (
            "Legal border crossings each day",
            "U.S.-MEXICO RELATIONS",
            "693",
            "870",
            "It encompasses extensive commercial, cultural, and educational ties, with some 1.7 billion dollars of two-way trade and hundreds of thousands of legal border crossings each day.",
        ),
        (
            "Two-way U.S.–Mexico trade each day",
            "U.S.-MEXICO RELATIONS",
            "693",
            "870",
            "It encompasses extensive commercial, cultural, and educational ties, with some 1.7 billion dollars of two-way trade and hundreds of thousands of legal border crossings each day.",
        ),
        (
            "Mexico as the top foreign destination for U.S. travelers",
            "U.S.-MEXICO RELATIONS",
            "871",
            "987",
            "In addition, 1.5 million U.S. citizens live in Mexico, and Mexico is the top foreign destination for U.S. travelers.",
        ),
        (
            "U.S. citizens living in Mexico",
            "U.S.-MEXICO RELATIONS",
            "871",
            "987",
            "In addition, 1.5 million U.S. citizens live in Mexico, and Mexico is the top foreign destination for U.S. travelers.",
        ),
        (
            "Mexico as the second-largest U.S. export market",
            "Bilateral Economic Issues",
            "1016",
            "1148",
            "Mexico is the United States’ second-largest export market (after Canada) and third-largest trading partner (after Canada and China).",
        ),
        (
            "Mexico as the third-largest U.S. trading partner",
            "Bilateral Economic Issues",
            "1016",
            "1148",
            "Mexico is the United States’ second-largest export market (after Canada) and third-largest trading partner (after Canada and China).",
        ),
        (
            "Two-way U.S.–Mexico trade in goods and services, 2018",
            "Bilateral Economic Issues",
            "1149",
            "1215",
            "In 2018, two-way trade in goods and services totaled $678 billion.",
        ),
        (
            "Share of Mexico's exports going to the United States, 2018",
            "Bilateral Economic Issues",
            "1346",
            "1417",
            "About 80 percent of Mexico’s exports in 2018 went to the United States.",
        ),
        (
            "Mexico as the largest export market for U.S. natural gas in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
            "In 2018, Mexico was the third-largest supplier of foreign crude oil to the United States, as well as the largest export market for U.S. refined petroleum products and U.S. natural gas.",
        ),
        (
            "Mexico as the largest export market for U.S. refined petroleum products in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
            "In 2018, Mexico was the third-largest supplier of foreign crude oil to the United States, as well as the largest export market for U.S. refined petroleum products and U.S. natural gas.",
        ),
        (
            "Mexico as the third-largest supplier of foreign crude oil to the United States in 2018",
            "Bilateral Economic Issues",
            "1418",
            "1602",
            "In 2018, Mexico was the third-largest supplier of foreign crude oil to the United States, as well as the largest export market for U.S. refined petroleum products and U.S. natural gas.",
        ),
        (
            "Stock of Mexican investment in the United States",
            "Bilateral Economic Issues",
            "1710",
            "1875",
            "The stock of foreign direct investment by U.S. companies in Mexico stands at $109.7 billion, while reciprocal Mexican investment in the United States is $18 billion.",
        ),
        (
            "Stock of U.S. foreign direct investment in Mexico",
            "Bilateral Economic Issues",
            "1710",
            "1875",
            "The stock of foreign direct investment by U.S. companies in Mexico stands at $109.7 billion, while reciprocal Mexican investment in the United States is $18 billion.",
        ),
        (
            "Mexico as the nation with free trade agreements with the most countries",
            "Bilateral Economic Issues",
            "2242",
            "2440",
            "Mexico is a strong promoter of free trade, maintaining free trade agreements with the most countries of any nation in the world, including pacts with Japan, the EU, and many Latin American partners.",
        ),
        (
            "Pacific Rim countries that signed the CPTPP",
            "Bilateral Economic Issues",
            "2669",
            "2806",
            "Eleven Pacific Rim countries, including Mexico, signed the renamed Comprehensive and Progressive Trans-Pacific Partnership March 8, 2018.",
        ),
        (
            "Combined population of the border region",
            "U.S.-Mexico Border",
            "3571",
            "3657",
            "The border region represents a combined population of approximately 15 million people.",
        ),
        (
            "Meetings of the Binational Bridges and Border Crossings Group each year",
            "U.S.-Mexico Border",
            "4162",
            "4378",
            "The multi-agency U.S.-Mexico Binational Bridges and Border Crossings Group meets three times a year to further joint initiatives that improve the efficiency of existing crossings and coordinate planning for new ones.",
        ),
        (
            "U.S. and Mexican border states",
            "U.S.-Mexico Border",
            "4379",
            "4460",
            "The ten U.S. and Mexican border states are active participants in these meetings.",
        ),
        (
            "Years of U.S.–Mexico telecommunications cooperation in the border area",
            "U.S.-Mexico Border",
            "5539",
            "5651",
            "The two countries also have cooperated on telecommunications services in the border area for more than 50 years.",
        ),
        (
            "Fulbright in Mexico as one of the largest Fulbright programs in the world",
            "Educational and Cultural Exchanges",
            "7004",
            "7091",
            "The Fulbright program, initiated in Mexico in 1948, is one of the largest in the world.",
        ),
        (
            "Students who have received Fulbright-García Robles scholarships since 1990",
            "Educational and Cultural Exchanges",
            "7092",
            "7304",
            "Since the establishment of the binational Fulbright Commission in 1990 with joint U.S. and Mexican funding, more than 3,500 students on both sides of the border have received Fulbright-Garcia Robles scholarships.",
        ),
        (
            "U.S. appropriations under the Merida Initiative, 2008–2018",
            "U.S. Security Cooperation with Mexico",
            "7909",
            "8054",
            "From 2008-2018, the United States has appropriated $2.8 billion in equipment, training and capacity building support under the Merida Initiative.",
        ),
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
        ("U.S.–Mexico treaty creating the IBWC", "Mexico", "boundary preservation issues"),
        ("U.S.–Mexico treaty creating the IBWC", "Mexico", "water resource issues"),
        ("U.S.–Mexico treaty creating the IBWC", "United States", "boundary preservation issues"),
        ("U.S.–Mexico treaty creating the IBWC", "United States", "water resource issues"),
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
        (
            "Asia-Pacific Economic Cooperation",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "International Energy Agency",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "International Maritime Organization",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "International Monetary Fund",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "Organization for Economic Cooperation and Development",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "Wassenaar Arrangement",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "World Bank",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "World Trade Organization",
            "member",
            "Mexico and the United States belong to a number of the same international organizations, including the Asia-Pacific Economic Cooperation (APEC) forum; Organization for Economic Cooperation and Development (OECD); International Energy Agency (IEA); International Monetary Fund (IMF); World Bank (WB); World Trade Organization (WTO); International Maritime Organization (IMO); and the Wassenaar Arrangement on conventional arms.",
        ),
        (
            "Organization of American States",
            "supporter",
            "Mexico is a strong supporter of the United Nations (UN) and Organization of American States (OAS).",
        ),
        (
            "United Nations",
            "supporter",
            "Mexico is a strong supporter of the United Nations (UN) and Organization of American States (OAS).",
        ),
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
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "IPR enforcement",
        ),
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "counterfeit goods",
        ),
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "ineffective IP enforcement",
        ),
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "long-awaited updates to Mexico's copyright and enforcement laws",
        ),
        (
            "2018 U.S. Trade Representative Special 301 Report",
            "Office of the U.S. Trade Representative",
            "Mexico",
            "Watch List",
            "2018",
            "online piracy",
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


def test_every_named_query_has_expected_rows() -> None:
    names = {query.name for query in list_named_queries()}
    assert names == set(EXPECTED)
    assert len(names) >= 15


@pytest.mark.parametrize("query", list_named_queries(), ids=lambda q: q.name)
def test_named_query_answer(bundled_store: MxStore, query) -> None:  # type: ignore[no-untyped-def]
    assert query.title and query.question and query.description
    result = run_query(bundled_store, query.sparql)
    assert isinstance(result, SelectResult)
    rows = [tuple(cell(term) for term in row) for row in result.rows]
    expected = EXPECTED[query.name]
    if "ORDER BY" in query.sparql.split("WHERE", 1)[-1].rsplit("}", 1)[-1]:
        assert rows == expected
    else:
        assert sorted(rows) == sorted(expected)
