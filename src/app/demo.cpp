// The demo organisation: realistic enough to try every citizen path. Dates are relative to
// today so that the coming weeks always have free slots.
#include "app/demo.hpp"

#include <date/tz.h>

#include "app/memberships.hpp"
#include "core/timefmt.hpp"

namespace vg::app {

namespace {

using core::Id;
using store::LocalText;

LocalText tx(std::string fr, std::string en, std::string nl, std::string de) {
    return LocalText{{{"fr", std::move(fr)},
                      {"en", std::move(en)},
                      {"nl", std::move(nl)},
                      {"de", std::move(de)}}};
}

constexpr std::uint8_t kMonFri = 0b0011111;
constexpr std::uint8_t V = core::channel_bit(core::Channel::video);
constexpr std::uint8_t S = core::channel_bit(core::Channel::on_site);
constexpr std::uint8_t P = core::channel_bit(core::Channel::phone);

int hm(int h, int m) {
    return h * 60 + m;
}

const char* kTermsFr =
    "1. Objet. Visioguichet permet de prendre et de tenir gratuitement un rendez-vous avec un "
    "conseiller, par vidéo, sur place ou par téléphone. Prendre rendez-vous vaut acceptation "
    "des présentes conditions.\n"
    "2. Accès. La vidéo fonctionne dans un navigateur récent, sans application ni compte. Il "
    "faut une caméra, un micro et une connexion correcte. Sans équipement, vous pouvez être "
    "reçu dans un Point numérique partenaire.\n"
    "3. Identité. Au début de l'entretien, le conseiller vérifie votre identité ; la caméra doit "
    "rester activée pendant un entretien vidéo.\n"
    "4. Ponctualité. Sans nouvelles de votre part 10 minutes après l'heure prévue, le "
    "rendez-vous est considéré comme non honoré. En cas de problème technique, nous vous "
    "rappelons pour le déplacer.\n"
    "5. Enregistrement. Il est interdit d'enregistrer ou de diffuser tout ou partie de "
    "l'entretien. Le conseiller peut mettre fin à l'entretien en cas d'agression ou d'injure.\n"
    "6. Données personnelles. Vos données servent uniquement à organiser le rendez-vous ; elles "
    "sont traitées conformément au RGPD. Vous pouvez y accéder et les faire rectifier auprès du "
    "directeur de l'organisme.\n"
    "7. Litiges. En cas de désaccord, vous pouvez vous adresser au médiateur administratif.";
const char* kTermsEn =
    "1. Purpose. Visioguichet lets you book and attend a free appointment with an advisor, by "
    "video, on site or by phone. Booking means accepting these terms.\n"
    "2. Access. Video works in a recent browser, with no app and no account. You need a camera, "
    "a microphone and a reasonable connection. Without equipment, a partner Point numérique can "
    "host you.\n"
    "3. Identity. At the start, the advisor checks your identity; the camera must stay on during "
    "a video appointment.\n"
    "4. Punctuality. Without news from you 10 minutes after the start, the appointment counts as "
    "missed. If a technical problem occurs, we call you to move it.\n"
    "5. Recording. Recording or sharing any part of the meeting is forbidden. The advisor may end "
    "the meeting in case of aggression or insults.\n"
    "6. Personal data. Your data is only used to organise the appointment, in accordance with "
    "the GDPR. You may access and correct it by writing to the director of the organisation.\n"
    "7. Disputes. In case of disagreement, you may contact the administrative mediator.";
const char* kTermsNl =
    "1. Doel. Met Visioguichet maakt u gratis een afspraak met een adviseur, via video, ter "
    "plaatse of telefonisch. Wie een afspraak maakt, aanvaardt deze voorwaarden.\n"
    "2. Toegang. Video werkt in een recente browser, zonder app of account. U hebt een camera, "
    "een microfoon en een goede verbinding nodig. Zonder apparatuur kan een partner (Point "
    "numérique) u ontvangen.\n"
    "3. Identiteit. Bij het begin controleert de adviseur uw identiteit; de camera blijft aan "
    "tijdens een videogesprek.\n"
    "4. Stiptheid. Zonder nieuws van u 10 minuten na het begin geldt de afspraak als niet "
    "nagekomen. Bij een technisch probleem bellen wij u om ze te verplaatsen.\n"
    "5. Opname. Het gesprek opnemen of verspreiden is verboden. De adviseur kan het gesprek "
    "beëindigen bij agressie of beledigingen.\n"
    "6. Persoonsgegevens. Uw gegevens dienen enkel om de afspraak te organiseren, volgens de "
    "AVG. U kunt ze inzien en laten verbeteren bij de directeur van de instelling.\n"
    "7. Geschillen. Bij onenigheid kunt u zich tot de administratieve ombudsman wenden.";
const char* kTermsDe =
    "1. Gegenstand. Mit Visioguichet vereinbaren Sie kostenlos einen Termin mit einer Beraterin "
    "oder einem Berater, per Video, vor Ort oder telefonisch. Mit der Buchung akzeptieren Sie "
    "diese Bedingungen.\n"
    "2. Zugang. Video funktioniert in einem aktuellen Browser, ohne App und ohne Konto. Sie "
    "brauchen Kamera, Mikrofon und eine ordentliche Verbindung. Ohne Ausstattung empfängt Sie "
    "ein Partner (Point numérique).\n"
    "3. Identität. Zu Beginn wird Ihre Identität geprüft; die Kamera bleibt während eines "
    "Videotermins eingeschaltet.\n"
    "4. Pünktlichkeit. Ohne Nachricht von Ihnen 10 Minuten nach Beginn gilt der Termin als "
    "versäumt. Bei technischen Problemen rufen wir Sie an, um ihn zu verschieben.\n"
    "5. Aufzeichnung. Das Gespräch aufzuzeichnen oder zu verbreiten ist verboten. Bei "
    "Aggression oder Beleidigung kann das Gespräch beendet werden.\n"
    "6. Personenbezogene Daten. Ihre Daten dienen nur der Organisation des Termins, gemäß "
    "DSGVO. Auskunft und Berichtigung erhalten Sie bei der Leitung der Einrichtung.\n"
    "7. Streitfälle. Bei Meinungsverschiedenheiten können Sie sich an die Ombudsstelle für "
    "öffentliche Verwaltungen wenden.";

LocalText conduct_rules() {
    return tx(
        "Je me connecte à l'heure indiquée.\nJe m'installe dans un endroit calme.\nJe m'assure "
        "de ne pas être dérangé pendant l'entretien.\nJe me présente dans une tenue correcte.\n"
        "Je prépare les pièces utiles (papier ou numérique).\nJe parle calmement et "
        "distinctement.\nMon appareil est chargé, avec caméra et micro.",
        "I join at the time given.\nI sit in a quiet place.\nI make sure I will not be "
        "disturbed.\nI am suitably dressed.\nI have the useful documents ready (paper or "
        "digital).\nI speak calmly and clearly.\nMy device is charged, with camera and "
        "microphone.",
        "Ik meld me aan op het afgesproken uur.\nIk zit op een rustige plek.\nIk zorg dat ik "
        "niet gestoord word.\nIk ben gepast gekleed.\nIk heb de nodige documenten klaar (papier "
        "of digitaal).\nIk spreek rustig en duidelijk.\nMijn toestel is opgeladen, met camera en "
        "microfoon.",
        "Ich bin zur angegebenen Zeit verbunden.\nIch sitze an einem ruhigen Ort.\nIch sorge "
        "dafür, nicht gestört zu werden.\nIch bin angemessen gekleidet.\nIch halte die nötigen "
        "Unterlagen bereit (Papier oder digital).\nIch spreche ruhig und deutlich.\nMein Gerät "
        "ist geladen, mit Kamera und Mikrofon.");
}

struct MotifSpec {
    const char* code;
    LocalText name;
    LocalText theme;
    LocalText documents;
    int duration;
    std::uint8_t channels;
    int lead_minutes;
    bool asks_number;
    bool is_public;
};

}  // namespace

bool load_demo(store::Store& db, core::Instant now) {
    bool created = false;
    db.write([&](store::Session& s) {
        if (s.organisation_by_slug("demo")) return;
        created = true;
        store::Organisation o;
        o.slug = "demo";
        o.name = "Caf de démonstration";
        o.languages = {"fr", "en", "nl", "de"};
        o.default_time_zone = "Europe/Paris";
        o.holiday_region = "fr_metropole";
        o.brand_colour = "#0b5fa5";
        o.sender_email = "rendez-vous@demo.visioguichet.test";
        o.reply_to = "contact@demo.visioguichet.test";
        o.mediation_contact = "mediation@demo.visioguichet.test";
        Id org = s.insert_organisation(o);

        s.insert_terms({0, org, 1, tx(kTermsFr, kTermsEn, kTermsNl, kTermsDe), conduct_rules(), 0});

        auto site = [&](const char* name, const char* address, const char* pc, const char* city,
                        bool partner, LocalText notes) {
            store::Site x;
            x.organisation_id = org;
            x.name = name;
            x.address = address;
            x.postal_code = pc;
            x.city = city;
            x.time_zone = "Europe/Paris";
            x.is_partner = partner;
            x.access_notes = std::move(notes);
            return s.insert_site(x);
        };
        Id evry = site("Accueil d'Évry-Courcouronnes", "12 boulevard de l'Europe", "91000",
                       "Évry-Courcouronnes", false,
                       tx("Entrée principale accessible en fauteuil roulant. RER D, gare "
                          "d'Évry-Courcouronnes Centre.",
                          "Main entrance is wheelchair accessible. RER D, Évry-Courcouronnes "
                          "Centre station.",
                          "Hoofdingang toegankelijk met rolstoel. RER D, station "
                          "Évry-Courcouronnes Centre.",
                          "Haupteingang rollstuhlgerecht. RER D, Bahnhof Évry-Courcouronnes "
                          "Centre."));
        Id massy = site("Antenne de Massy", "5 avenue Carnot", "91300", "Massy", false,
                        tx("Rez-de-chaussée, boucle magnétique à l'accueil. RER B et C, gare de "
                           "Massy-Palaiseau.",
                           "Ground floor, hearing loop at the desk. RER B and C, Massy-Palaiseau "
                           "station.",
                           "Gelijkvloers, ringleiding aan de balie. RER B en C, station "
                           "Massy-Palaiseau.",
                           "Erdgeschoss, Induktionsschleife am Schalter. RER B und C, Bahnhof "
                           "Massy-Palaiseau."));
        Id partner = site(
            "Point numérique – Médiathèque de Corbeil-Essonnes", "3 place Galignani", "91100",
            "Corbeil-Essonnes", true,
            tx("Partenaire labellisé : un médiateur numérique vous accueille au 1er étage "
               "(ascenseur) "
               "et vous installe au poste de visio. Aucun équipement à apporter.",
               "Labelled partner: a digital support worker welcomes you on the 1st floor (lift) "
               "and sets "
               "up the video station. No equipment needed.",
               "Erkende partner: een digitale begeleider ontvangt u op de 1e verdieping (lift) en "
               "zet de videopost klaar. Geen toestel nodig.",
               "Anerkannter Partner: Eine digitale Begleitung empfängt Sie im 1. Stock (Aufzug) "
               "und richtet den Videoplatz ein. Keine eigene Ausstattung nötig."));

        auto theme_online =
            tx("Démarches en ligne", "Online procedures", "Online procedures", "Online-Verfahren");
        auto theme_housing = tx("Logement", "Housing", "Huisvesting", "Wohnen");
        auto theme_family = tx("Famille et enfance", "Family and children", "Gezin en kinderen",
                               "Familie und Kinder");
        auto theme_solidarity = tx("Solidarité et insertion", "Solidarity and inclusion",
                                   "Solidariteit en inschakeling", "Solidarität und Eingliederung");
        auto theme_file = tx("Votre dossier", "Your file", "Uw dossier", "Ihre Akte");
        const MotifSpec specs[] = {
            {"online_help",
             tx("Aide pour une démarche en ligne sur caf.fr", "Help with an online procedure",
                "Hulp bij een online procedure", "Hilfe bei einem Online-Verfahren"),
             theme_online,
             tx("Vos identifiants caf.fr\nLe courrier ou la démarche concernés",
                "Your caf.fr login details\nThe letter or procedure concerned",
                "Uw caf.fr-inloggegevens\nDe betrokken brief of procedure",
                "Ihre caf.fr-Zugangsdaten\nDas betreffende Schreiben oder Verfahren"),
             30, V | S | P, 120, false, true},
            {"simulation",
             tx("Simulation de vos droits", "Estimate of your entitlements",
                "Simulatie van uw rechten", "Berechnung Ihrer Ansprüche"),
             theme_online,
             tx("Vos revenus des 12 derniers mois\nLe montant de votre loyer",
                "Your income of the last 12 months\nYour rent",
                "Uw inkomen van de laatste 12 maanden\nUw huurprijs",
                "Ihr Einkommen der letzten 12 Monate\nIhre Miete"),
             30, V | P, 120, false, true},
            {"housing_first",
             tx("Aide au logement : première demande", "Housing benefit: first application",
                "Huurtoelage: eerste aanvraag", "Wohngeld: Erstantrag"),
             theme_housing,
             tx("Votre bail signé\nUn relevé d'identité bancaire (RIB)\nVos ressources",
                "Your signed lease\nYour bank details (RIB)\nProof of income",
                "Uw ondertekend huurcontract\nUw bankgegevens (RIB)\nBewijs van inkomen",
                "Ihr unterschriebener Mietvertrag\nIhre Bankverbindung (RIB)\nEinkommensnachweise"),
             45, V | S, 120, false, true},
            {"housing_change",
             tx("Déménagement ou changement de loyer", "Moving house or rent change",
                "Verhuizing of huurwijziging", "Umzug oder Mietänderung"),
             theme_housing,
             tx("Votre nouveau bail ou avenant", "Your new lease or amendment",
                "Uw nieuw huurcontract of aanhangsel", "Ihr neuer Mietvertrag oder Nachtrag"),
             30, V | S | P, 120, false, true},
            {"birth",
             tx("Naissance ou adoption : vos droits", "Birth or adoption: your entitlements",
                "Geboorte of adoptie: uw rechten", "Geburt oder Adoption: Ihre Ansprüche"),
             theme_family,
             tx("Le livret de famille ou l'acte de naissance",
                "Family record book or birth certificate", "Trouwboekje of geboorteakte",
                "Familienbuch oder Geburtsurkunde"),
             30, V | S | P, 120, false, true},
            {"separation",
             tx("Séparation, changement de situation familiale",
                "Separation, change in family situation", "Scheiding, wijziging van gezinssituatie",
                "Trennung, Änderung der Familiensituation"),
             theme_family,
             tx("Un justificatif de la séparation\nVos ressources",
                "Proof of the separation\nProof of income",
                "Bewijs van de scheiding\nBewijs van inkomen",
                "Nachweis der Trennung\nEinkommensnachweise"),
             45, V | S | P, 1440, false, true},
            {"rsa",
             tx("RSA : demande ou déclaration trimestrielle",
                "RSA: application or quarterly return",
                "RSA: aanvraag of driemaandelijkse aangifte", "RSA: Antrag oder Quartalserklärung"),
             theme_solidarity,
             tx("Vos ressources des 3 derniers mois\nUne pièce d'identité",
                "Your income of the last 3 months\nAn identity document",
                "Uw inkomen van de laatste 3 maanden\nEen identiteitsbewijs",
                "Ihr Einkommen der letzten 3 Monate\nEin Ausweisdokument"),
             45, V | S | P, 120, true, true},
            {"activity_bonus",
             tx("Prime d'activité", "Activity bonus", "Activiteitspremie", "Aktivitätsprämie"),
             theme_solidarity,
             tx("Vos trois derniers bulletins de salaire", "Your last three payslips",
                "Uw laatste drie loonbrieven", "Ihre letzten drei Gehaltsabrechnungen"),
             30, V | P, 120, true, true},
            {"aah",
             tx("Allocation aux adultes handicapés (AAH)", "Disabled adult allowance (AAH)",
                "Tegemoetkoming voor volwassenen met een handicap (AAH)",
                "Beihilfe für Erwachsene mit Behinderung (AAH)"),
             theme_solidarity,
             tx("La notification de la MDPH\nVos ressources", "The MDPH decision\nProof of income",
                "De beslissing van de MDPH\nBewijs van inkomen",
                "Der MDPH-Bescheid\nEinkommensnachweise"),
             45, V | S | P, 120, true, true},
            {"letter_payment",
             tx("Comprendre un courrier ou un paiement", "Understand a letter or a payment",
                "Een brief of betaling begrijpen", "Ein Schreiben oder eine Zahlung verstehen"),
             theme_file,
             tx("Le courrier reçu", "The letter you received", "De ontvangen brief",
                "Das erhaltene Schreiben"),
             20, V | P, 60, true, true},
            {"mediation",
             tx("Désaccord avec une décision (médiation administrative)",
                "Disagreement with a decision (administrative mediation)",
                "Onenigheid met een beslissing (administratieve bemiddeling)",
                "Uneinigkeit mit einer Entscheidung (Verwaltungsmediation)"),
             theme_file,
             tx("La décision contestée\nVos échanges avec la Caf",
                "The decision you dispute\nYour correspondence with the Caf",
                "De betwiste beslissing\nUw briefwisseling met de Caf",
                "Die strittige Entscheidung\nIhr Schriftverkehr mit der Caf"),
             45, V | S, 2880, true, true},
            {"social_follow_up",
             tx("Suivi travail social (sur proposition d'un agent)", "Social work follow-up",
                "Opvolging maatschappelijk werk", "Sozialarbeit: Folgetermin"),
             theme_family, tx("", "", "", ""), 60, V | S, 0, false, false},
        };
        std::vector<Id> motif_ids;
        int position = 0;
        for (auto& spec : specs) {
            store::Motif m;
            m.organisation_id = org;
            m.code = spec.code;
            m.name = spec.name;
            m.theme = spec.theme;
            m.documents = spec.documents;
            m.rules.duration_minutes = spec.duration;
            m.rules.buffer_minutes = spec.duration >= 45 ? 5 : 0;
            m.rules.min_lead_minutes = spec.lead_minutes;
            m.rules.horizon_days = 42;
            m.rules.channels = spec.channels;
            m.is_public = spec.is_public;
            m.asks_beneficiary_number = spec.asks_number;
            m.position = position++;
            motif_ids.push_back(s.insert_motif(m));
        }

        const char* names[] = {"Camille Martin", "Karim Benali", "Sophie Lefèvre",
                               "Thomas Nguyen",  "Inès Moreau",  "Julien Petit"};
        std::vector<Id> agents;
        for (int i = 0; i < 6; ++i) {
            store::Agent a;
            a.organisation_id = org;
            a.display_name = names[i];
            a.email = "agent" + std::to_string(i + 1) + "@demo.visioguichet.test";
            a.notify_mode = i % 2 ? "digest" : "immediate";
            a.id = s.insert_agent(a);
            link_agent_account(s, a);  // an account without password (issue 12)
            agents.push_back(a.id);
        }

        auto paris = date::locate_zone("Europe/Paris");
        core::LocalDay today = core::local_day_of(now, paris);
        core::LocalDay start = core::monday_of(today) - 28;
        auto plan = [&](int agent, Id site_id, std::uint8_t days, int from, int to,
                        std::uint8_t channels, std::vector<Id> motifs = {}, int every = 1,
                        std::optional<core::LocalDay> until = std::nullopt) {
            core::OpeningPlan p;
            p.agent_id = agents[std::size_t(agent)];
            p.site_id = site_id;
            p.rule = {days, from, to, start, until, every};
            p.channels = channels;
            p.motif_ids = std::move(motifs);
            s.insert_plan(org, p);
        };
        const std::uint8_t mon = 1, tue = 2, wed = 4, thu = 8, fri = 16;
        plan(0, evry, kMonFri, hm(9, 0), hm(12, 0), V | S | P);
        plan(0, evry, mon | tue | thu, hm(13, 30), hm(16, 30), V | P);
        plan(1, evry, kMonFri, hm(13, 30), hm(17, 0), V | S | P);
        plan(1, evry, wed, hm(9, 0), hm(12, 0), V);
        plan(2, evry, kMonFri, hm(9, 0), hm(12, 30), V, {}, 2);  // every other week
        plan(2, evry, tue | wed | thu, hm(14, 0), hm(16, 0), S);
        plan(3, massy, mon | tue | wed | thu, hm(8, 30), hm(12, 0), V | S | P);
        plan(3, massy, mon | tue | wed | thu, hm(13, 30), hm(16, 0), V | P, {}, 1, today + 90);
        // Housing and family specialist.
        plan(4, massy, tue | wed | thu | fri, hm(9, 0), hm(12, 0), V | S,
             {motif_ids[2], motif_ids[3], motif_ids[4], motif_ids[5]});
        plan(5, partner, tue | thu, hm(14, 0), hm(17, 0), V);
        plan(5, massy, mon | wed | fri, hm(9, 0), hm(12, 0), V | P);

        // Team meeting every other Wednesday morning; a training day next week.
        s.insert_recurring_absence(org, {agents[0], {wed, hm(9, 0), hm(10, 30), start, {}, 2}},
                                   "réunion d'équipe");
        auto next_friday = core::monday_of(today) + 7 + 4;
        auto training = core::start_of_local_day(next_friday, paris);
        s.insert_absence(org, {agents[1], {training, training + 86400}}, "formation");
    });
    return created;
}

}  // namespace vg::app
