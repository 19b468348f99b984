// Pieces of the HTML pages that need no server: week choice, origin check, form integers,
// zone names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/timefmt.hpp"
#include "text/i18n.hpp"
#include "web/booking_flow.hpp"
#include "web/page.hpp"

using namespace vg;

namespace {

core::LocalDay day(const char* ymd) {
    return *core::parse_ymd(ymd);
}

http::Request post(std::map<std::string, std::string> headers) {
    http::Request r;
    r.method = "POST";
    r.headers = std::move(headers);
    return r;
}

}  // namespace

TEST(Week, NoPreviousWeekBeforeTheFirstFreeSlot) {
    // Saturday 2026-03-28; the first free slot is on Monday 30 (after the weekend).
    auto today = day("2026-03-28");
    auto first = day("2026-03-30");
    auto w = web::choose_week(std::nullopt, first, today, 28, first);
    EXPECT_EQ(w.monday, first);
    EXPECT_EQ(w.this_monday, first) << "the week of today (all past) is not offered";
    // Asking for an earlier week shows the first week worth showing.
    EXPECT_EQ(web::choose_week(today, first, today, 28, first).monday, first);
    // Without a free slot, today's week is the first.
    EXPECT_EQ(web::choose_week(std::nullopt, today, today, 28).this_monday, day("2026-03-23"));
    // A first slot today: today's week.
    EXPECT_EQ(web::choose_week(std::nullopt, today, today, 28, today).this_monday,
              day("2026-03-23"));
}

TEST(Week, TheLastWeekIsTheHorizon) {
    auto today = day("2026-12-30");
    auto w = web::choose_week(day("2027-06-01"), today, today, 14);
    EXPECT_EQ(w.monday, core::monday_of(today + 14));
}

TEST(FormIntegers, OutOfRangeIsRefusedNotTruncated) {
    EXPECT_EQ(web::parse_int("1"), 1);
    EXPECT_EQ(web::parse_int(std::to_string(INT_MAX)), INT_MAX);
    EXPECT_EQ(web::parse_int("2147483648"), std::nullopt);
    EXPECT_EQ(web::parse_int("4294967297"), std::nullopt);  // 2^32 + 1 was read as 1
    EXPECT_EQ(web::parse_int("4294967301"), std::nullopt);  // 2^32 + 5 was read as 5
    EXPECT_EQ(web::parse_int("-1"), std::nullopt);
    EXPECT_EQ(web::parse_int(""), std::nullopt);
    EXPECT_EQ(web::parse_int(" 1"), std::nullopt);
    EXPECT_EQ(web::parse_int("99999999999999999999"), std::nullopt);
}

TEST(SameOrigin, ForeignOriginOrCrossSiteFetchIsRefused) {
    EXPECT_TRUE(web::same_origin(post({{"host", "127.0.0.1:8080"}}), ""));
    EXPECT_TRUE(web::same_origin(
        post({{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8080"}}), ""));
    EXPECT_TRUE(web::same_origin(
        post({{"host", "127.0.0.1:8080"}, {"sec-fetch-site", "same-origin"}}), ""));
    EXPECT_TRUE(web::same_origin(post({{"host", "x"}, {"sec-fetch-site", "none"}}), ""));
    EXPECT_FALSE(web::same_origin(
        post({{"host", "127.0.0.1:8080"}, {"origin", "http://evil.example"}}), ""));
    // Our own forms under Referrer-Policy: no-referrer: Origin null, same-origin fetch.
    EXPECT_TRUE(web::same_origin(
        post({{"host", "127.0.0.1:8080"}, {"origin", "null"}, {"sec-fetch-site", "same-origin"}}),
        ""));
    EXPECT_FALSE(web::same_origin(
        post({{"host", "127.0.0.1:8080"}, {"origin", "null"}, {"sec-fetch-site", "cross-site"}}),
        ""));
    EXPECT_FALSE(
        web::same_origin(post({{"host", "127.0.0.1:8080"}, {"sec-fetch-site", "cross-site"}}), ""));
    EXPECT_FALSE(
        web::same_origin(post({{"host", "127.0.0.1:8080"}, {"sec-fetch-site", "same-site"}}), ""));
    // With a public URL, only its origin counts (default port implied), not the Host header.
    const std::string pub = "https://rdv.example.org/";
    EXPECT_TRUE(web::same_origin(
        post({{"host", "10.0.0.5:8080"}, {"origin", "https://rdv.example.org"}}), pub));
    EXPECT_TRUE(web::same_origin(post({{"host", "x"}, {"origin", "https://RDV.example.org"}}),
                                 "https://rdv.example.org:443"));
    EXPECT_FALSE(
        web::same_origin(post({{"host", "evil.example"}, {"origin", "http://evil.example"}}), pub));
    EXPECT_FALSE(web::same_origin(
        post({{"host", "rdv.example.org"}, {"origin", "http://rdv.example.org"}}), pub));
    EXPECT_FALSE(web::same_origin(
        post({{"host", "x"}, {"origin", "https://rdv.example.org.evil.example"}}), pub));
}

TEST(ZoneNames, CitizensReadWordsNotIanaNames) {
    text::I18n i18n;
    i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
    EXPECT_EQ(i18n.zone_label("fr", "Europe/Paris"), "heure de Paris");
    EXPECT_EQ(i18n.zone_label("en", "Europe/Paris"), "Paris time");
    EXPECT_EQ(i18n.zone_label("en", "Indian/Reunion"), "Réunion time");
    EXPECT_EQ(i18n.zone_label("de", "Asia/Tokyo"), "") << "unknown: say nothing";
    EXPECT_TRUE(text::I18n::remote(core::Channel::video, false));
    EXPECT_TRUE(text::I18n::remote(core::Channel::phone, false));
    EXPECT_FALSE(text::I18n::remote(core::Channel::video, true));
    EXPECT_FALSE(text::I18n::remote(core::Channel::on_site, false));
}

namespace {
void leaf_keys(const nlohmann::json& j, const std::string& path, std::set<std::string>& out) {
    if (j.is_object()) {
        for (auto& [k, v] : j.items()) leaf_keys(v, path.empty() ? k : path + "." + k, out);
    } else {
        out.insert(path + (j.is_array() ? "[" + std::to_string(j.size()) + "]" : ""));
    }
}
}  // namespace

// Every text exists in every language (a missing one would show its key to a reader).
TEST(Catalogues, EveryLanguageHasTheKeysOfFrench) {
    text::I18n i18n;
    i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
    std::set<std::string> fr;
    leaf_keys(i18n.catalogue("fr"), "", fr);
    EXPECT_GT(fr.size(), 100u);
    for (const char* lang : {"en", "nl", "de"}) {
        std::set<std::string> other;
        leaf_keys(i18n.catalogue(lang), "", other);
        for (auto& k : fr) EXPECT_TRUE(other.count(k)) << lang << " lacks " << k;
        for (auto& k : other) EXPECT_TRUE(fr.count(k)) << lang << " has an extra " << k;
    }
}

// locales/<lang>/*.json add sections; one defined twice stops the load.
TEST(Catalogues, PartsAddSectionsAndRefuseDuplicates) {
    auto dir =
        std::filesystem::temp_directory_path() / ("vg-locales-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    for (auto& lang : text::kLanguages) {
        std::filesystem::create_directories(dir / lang);
        std::ofstream(dir / (lang + ".json")) << R"({"a": {"x": "base"}})";
        std::ofstream(dir / lang / "b.json") << R"({"b": {"y": "part"}})";
    }
    text::I18n i18n;
    i18n.load(dir.string());
    EXPECT_EQ(i18n.t("nl", "a.x"), "base");
    EXPECT_EQ(i18n.t("nl", "b.y"), "part");
    std::ofstream(dir / "fr" / "c.json") << R"({"a": {"z": "again"}})";
    text::I18n again;
    EXPECT_THROW(again.load(dir.string()), std::runtime_error);
    std::filesystem::remove_all(dir);
}
