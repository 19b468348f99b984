// The label certificate (seed 001, Annexe 1) as a PDF: its text is read back with pdftotext
// (poppler-utils), every field found, every word inside the page, one page only.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "text/certificate_pdf.hpp"

namespace vg::text {
namespace {

namespace fs = std::filesystem;

// Runs a shell command, returns its standard output; fails the test on a non-zero exit.
std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) {
        ADD_FAILURE() << "cannot run " << command;
        return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << ": " << status;
    return out;
}

// Spaces, line breaks and no-break spaces (U+00A0, U+202F) as one plain space.
std::string squeeze(const std::string& s) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool white = s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == '\f';
        if (!white && s.compare(i, 2, "\xc2\xa0") == 0) white = true, ++i;
        if (!white && s.compare(i, 3, "\xe2\x80\xaf") == 0) white = true, i += 2;
        if (white) {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += s[i];
    }
    return out;
}
// pdftotext joins a word broken after a hyphen at a line's end and drops that hyphen
// ("Saint-Étienne-" / "Centre" reads "Saint-ÉtienneCentre"): hyphens do not count.
std::string unhyphenated(const std::string& s) {
    std::string out;
    for (char c : squeeze(s))
        if (c != '-') out += c;
    return out;
}
std::string no_space(const std::string& s) {
    std::string out;
    for (char c : squeeze(s))
        if (c != ' ') out += c;
    return out;
}

struct ReadBack {
    std::string text;  // pdftotext's output
    int pages = 0;
    double width = 0, height = 0;  // of the page
    struct Word {
        double x0, y0, x1, y1;
        std::string text;
    };
    std::vector<Word> words;
};

ReadBack read_back(const std::string& pdf) {
    const fs::path dir =
        fs::temp_directory_path() / ("vg-certificate-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "certificate.pdf";
    std::ofstream(file, std::ios::binary) << pdf;
    ReadBack r;
    r.text = run("pdftotext -enc UTF-8 '" + file.string() + "' -");
    for (char c : r.text) r.pages += c == '\f';
    // -bbox: one <page width=.. height=..> and one <word xMin=.. yMin=.. xMax=.. yMax=..>
    // per word.
    const std::string boxes = run("pdftotext -enc UTF-8 -bbox '" + file.string() + "' -");
    std::smatch m;
    if (std::regex_search(boxes, m,
                          std::regex(R"re(<page width="([0-9.]+)" height="([0-9.]+)")re"))) {
        r.width = std::stod(m[1]);
        r.height = std::stod(m[2]);
    }
    const std::regex word(
        R"re(<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>)re");
    for (auto it = std::sregex_iterator(boxes.begin(), boxes.end(), word);
         it != std::sregex_iterator(); ++it)
        r.words.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
                           std::stod((*it)[4]), (*it)[5]});
    fs::remove_all(dir);
    return r;
}

void expect_inside_page(const ReadBack& r) {
    ASSERT_GT(r.width, 500);
    ASSERT_GT(r.height, 800);
    EXPECT_GT(r.words.size(), 40u);
    for (auto& w : r.words) {
        EXPECT_GE(w.x0, 0) << w.text;
        EXPECT_GE(w.y0, 0) << w.text;
        EXPECT_LE(w.x1, r.width) << w.text;
        EXPECT_LE(w.y1, r.height) << w.text;
    }
}

CertificateFields fields() {
    CertificateFields f;
    f.partner_name = "Médiathèque Louise-Michel";
    f.partner_town = "Saint-Étienne";
    f.caf_name = "Caf de la Loire";
    f.date = "30 novembre 2026";
    f.director_name = "Hélène Garçon-Müller";
    f.place = "Saint-Chamond";
    return f;
}

// Every field of the certificate appears in its text read back.
void expect_fields(const CertificateFields& f, const ReadBack& r) {
    const std::string text = unhyphenated(r.text);
    for (const std::string* field : {&f.partner_name, &f.partner_town, &f.caf_name, &f.date,
                                     &f.director_name, &f.place, &f.director_title})
        EXPECT_NE(text.find(unhyphenated(*field)), std::string::npos)
            << "missing \"" << *field << "\" in:\n"
            << r.text;
}

TEST(CertificatePdf, EveryFieldReadsBackFromTheRenderedPdf) {
    const auto f = fields();
    const std::string pdf = certificate_pdf(f);
    ASSERT_GT(pdf.size(), 100u);
    EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
    const auto r = read_back(pdf);
    EXPECT_EQ(r.pages, 1);
    expect_fields(f, r);
    // The seed's wording.
    const std::string text = squeeze(r.text);
    for (auto sentence :
         {"Certificat « Point numérique Caf »", "a attribué le label « Point numérique Caf »",
          "pour accompagner les usagers dans leurs démarches en ligne Caf.",
          "Dans le cadre de la démarche qualité de la Caf, le partenaire est formé "
          "et évalué chaque année."})
        EXPECT_NE(text.find(sentence), std::string::npos) << sentence << " in:\n" << r.text;
    EXPECT_NE(text.find(f.place + ", le " + f.date), std::string::npos);
    expect_inside_page(r);
    // Without a place, the date stands alone.
    auto without = f;
    without.place.clear();
    EXPECT_NE(squeeze(read_back(certificate_pdf(without)).text).find("Le " + f.date),
              std::string::npos);
}

TEST(CertificatePdf, LongNamesWrapInsideThePage) {
    auto f = fields();
    f.partner_name =
        "Association intercommunale d'animation sociale et culturelle des quartiers Nord-Est de "
        "Saint-Étienne, de la vallée du Gier et des monts du Pilat, maison France Services "
        "Jean-Jaurès et point d'accueil numérique de la place de l'Hôtel-de-Ville";
    f.caf_name = "Caisse d'allocations familiales de la Loire, antenne de Saint-Étienne-Centre";
    f.director_name = "Marie-Françoise de La Tour d'Auvergne-Lauraguais Saint-Exupéry";
    const auto r = read_back(certificate_pdf(f));
    EXPECT_EQ(r.pages, 1);
    expect_fields(f, r);
    expect_inside_page(r);
    // A name three times as long does not fit at the normal size: every size shrinks until
    // the whole text holds on the page.
    const std::string long_name = f.partner_name;
    f.partner_name = long_name + ", " + long_name + ", " + long_name;
    const auto longer = read_back(certificate_pdf(f));
    EXPECT_EQ(longer.pages, 1);
    expect_fields(f, longer);
    expect_inside_page(longer);
    // A name of one word longer than a line is broken, without hyphen, and stays on the page.
    f.partner_name = std::string(12, 'X');
    for (int i = 0; i < 8; ++i) f.partner_name += "Ébèneterie";
    const auto one_word = read_back(certificate_pdf(f));
    EXPECT_EQ(one_word.pages, 1);
    EXPECT_NE(no_space(one_word.text).find(f.partner_name), std::string::npos) << one_word.text;
    expect_inside_page(one_word);
}

TEST(CertificatePdf, InvalidTextIsRefused) {
    auto f = fields();
    f.partner_name = "Mairie \xff";
    EXPECT_THROW(certificate_pdf(f), std::invalid_argument);
}

}  // namespace
}  // namespace vg::text
