// The sanctions programmes the lists name by a code, named by their regimes,
// with the official page that publishes them. Sources: the UN Security
// Council's sanctions committees (main.un.org/securitycouncil/en/sanctions),
// OFAC's programme tags (ofac.treasury.gov, "Sanctions Programs and Country
// Information"), the EU's regimes (the entry's own legal basis, looked up in
// EUR-Lex). The UK list names its regimes in full already. A code not here
// is shown as it is, with its list's official page.
"use strict";

const UN_COMMITTEE = (res) => `https://main.un.org/securitycouncil/en/sanctions/${res}`;
const OFAC_PROGRAMS = "https://ofac.treasury.gov/sanctions-programs-and-country-information";
const UK_LIST = "https://www.gov.uk/government/publications/the-uk-sanctions-list";
const EU_MAP = "https://www.sanctionsmap.eu/";

const PROGRAMMES = {
  un: {
    "Al-Qaida": ["ISIL (Da'esh) and Al-Qaida sanctions, resolution 1267 (1999)", UN_COMMITTEE(1267)],
    Taliban: ["Taliban sanctions, resolution 1988 (2011)", UN_COMMITTEE(1988)],
    DPRK: ["Democratic People's Republic of Korea sanctions, resolution 1718 (2006)", UN_COMMITTEE(1718)],
    Iran: ["Iran, resolution 2231 (2015)", "https://main.un.org/securitycouncil/en/content/2231/background"],
    Iraq: ["Iraq sanctions, resolution 1518 (2003)", UN_COMMITTEE(1518)],
    DRC: ["Democratic Republic of the Congo sanctions, resolution 1533 (2004)", UN_COMMITTEE(1533)],
    Libya: ["Libya sanctions, resolution 1970 (2011)", UN_COMMITTEE(1970)],
    Somalia: ["Al-Shabaab sanctions, resolution 2713 (2023)", UN_COMMITTEE(2713)],
    CAR: ["Central African Republic sanctions, resolution 2127 (2013)", UN_COMMITTEE(2127)],
    Yemen: ["Yemen sanctions, resolution 2140 (2014)", UN_COMMITTEE(2140)],
    Haiti: ["Haiti sanctions, resolution 2653 (2022)", UN_COMMITTEE(2653)],
    GB: ["Guinea-Bissau sanctions, resolution 2048 (2012)", UN_COMMITTEE(2048)],
    Sudan: ["Sudan sanctions, resolution 1591 (2005)", UN_COMMITTEE(1591)],
    SouthSudan: ["South Sudan sanctions, resolution 2206 (2015)", UN_COMMITTEE(2206)],
  },
  eu: {
    HR: ["EU Global Human Rights Sanctions Regime, Regulation (EU) 2020/1998", "https://eur-lex.europa.eu/eli/reg/2020/1998/oj"],
    CYB: ["EU cyber-attacks regime, Regulation (EU) 2019/796", "https://eur-lex.europa.eu/eli/reg/2019/796/oj"],
    CHEM: ["EU chemical weapons regime, Regulation (EU) 2018/1542", "https://eur-lex.europa.eu/eli/reg/2018/1542/oj"],
    TERR: ["EU terrorist list (Common Position 2001/931/CFSP, Regulation (EC) No 2580/2001)", "https://eur-lex.europa.eu/eli/reg/2001/2580/oj"],
    "TAQA-EUAQ": ["EU ISIL (Da'esh) and Al-Qaida regime", EU_MAP],
    UKR: ["EU regime on actions against Ukraine's territorial integrity, Regulation (EU) No 269/2014", "https://eur-lex.europa.eu/eli/reg/2014/269/oj"],
    RUS: ["EU restrictive measures concerning Russia", EU_MAP],
    RUSDA: ["EU regime on Russia's destabilising activities", EU_MAP],
    BLR: ["EU restrictive measures concerning Belarus", EU_MAP],
    IRN: ["EU restrictive measures concerning Iran", EU_MAP],
    SYR: ["EU restrictive measures concerning Syria", EU_MAP],
    PRK: ["EU restrictive measures concerning North Korea", EU_MAP],
    AFG: ["EU restrictive measures concerning the Taliban (Afghanistan)", EU_MAP],
    MMR: ["EU restrictive measures concerning Myanmar/Burma", EU_MAP],
    COD: ["EU restrictive measures concerning the Democratic Republic of the Congo", EU_MAP],
    IRQ: ["EU restrictive measures concerning Iraq", EU_MAP],
    VEN: ["EU restrictive measures concerning Venezuela", EU_MAP],
    LBY: ["EU restrictive measures concerning Libya", EU_MAP],
    MDA: ["EU restrictive measures concerning Moldova", EU_MAP],
    TUN: ["EU restrictive measures concerning Tunisia", EU_MAP],
    SOM: ["EU restrictive measures concerning Somalia", EU_MAP],
    NIC: ["EU restrictive measures concerning Nicaragua", EU_MAP],
    HAM: ["EU regime against Hamas and Palestinian Islamic Jihad", EU_MAP],
    HTI: ["EU restrictive measures concerning Haiti", EU_MAP],
    CAF: ["EU restrictive measures concerning the Central African Republic", EU_MAP],
    SDN: ["EU restrictive measures concerning Sudan", EU_MAP],
    SDNZ: ["EU restrictive measures concerning Sudan", EU_MAP],
    YEM: ["EU restrictive measures concerning Yemen", EU_MAP],
    SSD: ["EU restrictive measures concerning South Sudan", EU_MAP],
    GTM: ["EU restrictive measures concerning Guatemala", EU_MAP],
    GIN: ["EU restrictive measures concerning Guinea", EU_MAP],
    MLI: ["EU restrictive measures concerning Mali", EU_MAP],
  },
  ofac: {
    SDGT: ["Specially Designated Global Terrorists, Executive Order 13224", OFAC_PROGRAMS],
    SDNTK: ["Foreign Narcotics Kingpin Designation Act", OFAC_PROGRAMS],
    SDNT: ["Narcotics trafficking, Executive Order 12978", OFAC_PROGRAMS],
    NPWMD: ["Non-proliferation of weapons of mass destruction, Executive Order 13382", OFAC_PROGRAMS],
    GLOMAG: ["Global Magnitsky, Executive Order 13818", OFAC_PROGRAMS],
    MAGNIT: ["Sergei Magnitsky Rule of Law Accountability Act of 2012", OFAC_PROGRAMS],
    IFSR: ["Iranian Financial Sanctions Regulations", OFAC_PROGRAMS],
    IRGC: ["Islamic Revolutionary Guard Corps designations", OFAC_PROGRAMS],
    TCO: ["Transnational criminal organizations, Executive Order 13581", OFAC_PROGRAMS],
    FTO: ["Foreign Terrorist Organizations (State Department)", OFAC_PROGRAMS],
    CYBER2: ["Malicious cyber-enabled activities, Executive Order 13694 as amended", OFAC_PROGRAMS],
    "CAATSA - RUSSIA": ["Countering America's Adversaries Through Sanctions Act, Russia", OFAC_PROGRAMS],
    "CAATSA - IRAN": ["Countering America's Adversaries Through Sanctions Act, Iran", OFAC_PROGRAMS],
  },
};

// [name, url] for a programme code of a list; the code itself when unknown.
function programmeName(source, code) {
  const known = (PROGRAMMES[source] || {})[code];
  if (known) return known;
  if (source === "ofac") {
    const eo = /EO ?(\d{5})/.exec(code);
    const country = code.replace(/-?EO ?\d{5}/, "").replace(/\d+$/, "");
    if (eo) return [`${country ? country.charAt(0) + country.slice(1).toLowerCase() + ", " : ""}Executive Order ${eo[1]}`, OFAC_PROGRAMS];
    if (/^[A-Z ]+$/.test(code)) return [`${code.charAt(0) + code.slice(1).toLowerCase()} sanctions (OFAC)`, OFAC_PROGRAMS];
    return [`OFAC programme ${code}`, OFAC_PROGRAMS];
  }
  if (source === "uk") return [code, UK_LIST];
  if (source === "eu") return [`EU regime ${code}`, EU_MAP];
  return [code, null];
}
