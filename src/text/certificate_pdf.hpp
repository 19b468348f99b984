// The label certificate of Annexe 1 of the "Point numérique Caf" convention (issue 15, seed
// 001), rendered as a one-page A4 PDF with cairo and pango, in memory (no file, no browser).
// The wording is the seed's French: the certificate hangs in a French partner's hall.
#pragma once

#include <string>

namespace vg::text {

struct CertificateFields {
    std::string partner_name;   // "Médiathèque Louise-Michel"
    std::string partner_town;   // "Saint-Étienne"
    std::string caf_name;       // the organisation's name: "Caf de la Loire"
    std::string date;           // already formatted: "30 novembre 2026" or "30/11/2026"
    std::string director_name;  // "Claire Dupont"
    std::string place;          // where it is signed ("Saint-Étienne"); empty: "Le <date>"
    std::string director_title = "Le directeur de la Caf";
};

// The PDF's bytes (starting "%PDF"). Text wraps within the margins, a word longer than a line
// is broken, and the font shrinks until everything holds on the page, so that long names
// never overflow. Throws std::invalid_argument on text that is not valid UTF-8 and
// std::runtime_error when cairo fails.
std::string certificate_pdf(const CertificateFields& fields);

}  // namespace vg::text
