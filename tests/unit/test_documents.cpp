// Documents sent during a call: the type is read from the content, the download name is
// made safe, and the vault keeps only ciphertext bound to its row.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/document_type.hpp"
#include "demo_fixture.hpp"
#include "store/document_vault.hpp"

using namespace vg;
namespace fs = std::filesystem;

TEST(DocumentType, ReadFromTheContentNotTheName) {
    using core::DocumentType;
    EXPECT_EQ(core::sniff_document("%PDF-1.7\n..."), DocumentType::pdf);
    EXPECT_EQ(core::sniff_document(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), DocumentType::png);
    EXPECT_EQ(core::sniff_document("\xFF\xD8\xFF\xE0rest"), DocumentType::jpeg);
    EXPECT_EQ(core::sniff_document("<html><script>alert(1)</script>"), std::nullopt);
    EXPECT_EQ(core::sniff_document("%PD"), std::nullopt);
    EXPECT_EQ(core::sniff_document(""), std::nullopt);
    EXPECT_EQ(core::sniff_document("GIF89a"), std::nullopt);
    EXPECT_EQ(core::mime_type(DocumentType::pdf), "application/pdf");
}

TEST(DocumentType, DownloadNameIsSafe) {
    using core::DocumentType;
    EXPECT_EQ(core::download_name("avis d'imposition.pdf", DocumentType::pdf),
              "avis d'imposition.pdf");
    // The content decides the extension; folders, quotes and separators go.
    EXPECT_EQ(core::download_name("../../etc/passwd.html", DocumentType::png), "passwd.png");
    EXPECT_EQ(core::download_name("C:\\Users\\x\\photo\".jpeg", DocumentType::jpeg), "photo.jpg");
    EXPECT_EQ(core::download_name("a\r\nSet-Cookie: x;y.pdf", DocumentType::pdf),
              "aSet-Cookie: xy.pdf");
    EXPECT_EQ(core::download_name("", DocumentType::pdf), "document.pdf");
    EXPECT_EQ(core::download_name(".pdf", DocumentType::pdf), "document.pdf");
    // Long names are cut on a character boundary (é is two bytes).
    std::string longname;
    for (int i = 0; i < 60; ++i) longname += "é";
    auto n = core::download_name(longname + ".pdf", DocumentType::pdf);
    EXPECT_EQ(n.size(), 80u + 4u);
    EXPECT_EQ(n.substr(0, 80), longname.substr(0, 80));
}

namespace {

class VaultTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_GE(sodium_init(), 0);
        dir = fs::temp_directory_path() /
              ("vg-vault-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    static std::string key() {
        std::string k(32, '\0');
        randombytes_buf(k.data(), k.size());
        return k;
    }
    std::string file_bytes(const std::string& name) {
        std::ifstream in(dir / name, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    fs::path dir;
};

}  // namespace

TEST_F(VaultTest, KeepsOnlyCiphertextBoundToItsRow) {
    store::Sealer sealer(key());
    store::DocumentVault vault(dir.string(), sealer);
    const std::string plain = "%PDF-1.7 numéro d'allocataire 1234567 " + std::string(5000, 'x');
    auto s = vault.put(plain, "document:1:42");
    EXPECT_EQ(vault.get(s, "document:1:42"), plain);

    auto bytes = file_bytes(s.file);
    EXPECT_EQ(bytes.find("allocataire"), std::string::npos);
    EXPECT_EQ(bytes.find("%PDF"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat((dir / s.file).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_FALSE(fs::exists(dir / (s.file + ".tmp")));

    // Another row, another key, another installation's secret: nothing.
    EXPECT_EQ(vault.get(s, "document:1:43"), std::nullopt);
    auto other = vault.put("%PDF-other", "document:1:43");
    EXPECT_EQ(vault.get({s.file, other.sealed_key}, "document:1:42"), std::nullopt);
    store::Sealer stranger(key());
    store::DocumentVault elsewhere(dir.string(), stranger);
    EXPECT_EQ(elsewhere.get(s, "document:1:42"), std::nullopt);
    // The key erased from the row: the file is unreadable.
    EXPECT_EQ(vault.get({s.file, ""}, "document:1:42"), std::nullopt);
}

TEST_F(VaultTest, AChangedByteOrAForeignNameIsRefused) {
    store::Sealer sealer(key());
    store::DocumentVault vault(dir.string(), sealer);
    auto s = vault.put("%PDF-1.7 hello", "b");
    auto bytes = file_bytes(s.file);
    bytes[bytes.size() - 3] ^= 1;
    std::ofstream(dir / s.file, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_EQ(vault.get(s, "b"), std::nullopt);
    EXPECT_EQ(vault.get({"../../etc/passwd", s.sealed_key}, "b"), std::nullopt);
    EXPECT_FALSE(vault.remove("../secret.key"));
    EXPECT_TRUE(vault.remove(s.file));
    EXPECT_FALSE(fs::exists(dir / s.file));
    EXPECT_TRUE(vault.remove(s.file));  // already gone
    EXPECT_EQ(vault.get(s, "b"), std::nullopt);
}

namespace {
using unit::kWednesday;
class DocumentRows : public unit::DemoFixture {};
}  // namespace

TEST_F(DocumentRows, ListedPerAppointmentDueByDateAndKeyErasedOnDeletion) {
    store::RoomDocument d;
    d.organisation_id = org.org.id;
    d.appointment_id = 1;
    d.sender = "citizen";
    d.name = "avis.pdf";
    d.content_type = "application/pdf";
    d.size = 1234;
    d.file = std::string(32, 'a');
    d.sealed_key = "sealed";
    d.created_at = kWednesday;
    d.delete_after = kWednesday + 86400;
    store::Id first = 0, second = 0;
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    d.appointment_id = add_appointment(agent, kWednesday + 3600);
    db->write([&](store::Session& s) {
        first = s.insert_document(d);
        d.delete_after = kWednesday + 2 * 86400;
        d.name = "photo.jpg";
        second = s.insert_document(d);
    });
    db->read([&](store::Session& s) {
        auto all = s.documents(org.org.id, d.appointment_id);
        ASSERT_EQ(all.size(), 2u);
        EXPECT_EQ(all[0].id, first);
        EXPECT_EQ(all[1].name, "photo.jpg");
        EXPECT_TRUE(s.documents(org.org.id + 1, d.appointment_id).empty());
        EXPECT_FALSE(s.document(org.org.id + 1, first));
        EXPECT_EQ(s.document(org.org.id, first)->sealed_key, "sealed");
        EXPECT_TRUE(s.documents_due(kWednesday + 86399, 10).empty());
        auto due = s.documents_due(kWednesday + 86400, 10);
        ASSERT_EQ(due.size(), 1u);
        EXPECT_EQ(due[0].id, first);
    });
    db->write([&](store::Session& s) {
        EXPECT_FALSE(s.mark_document_deleted(org.org.id + 1, first, kWednesday + 90000));
        EXPECT_TRUE(s.mark_document_deleted(org.org.id, first, kWednesday + 90000));
        EXPECT_FALSE(s.mark_document_deleted(org.org.id, first, kWednesday + 90001));
    });
    db->read([&](store::Session& s) {
        auto gone = s.document(org.org.id, first);
        EXPECT_EQ(gone->sealed_key, "");
        EXPECT_EQ(gone->deleted_at, kWednesday + 90000);
        EXPECT_EQ(s.documents_due(kWednesday + 3 * 86400, 10).size(), 1u);
    });
}

// --- the room's documents (app::RoomDocuments): upload rules and deletion on a ManualClock ---

#include <sqlite3.h>

#include "app/room_documents.hpp"

namespace {

class RoomDocumentsTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        sealer = std::make_unique<store::Sealer>(std::string(32, 'k'));
        vault = std::make_unique<store::DocumentVault>((dir / "docs").string(), *sealer);
        rooms = std::make_unique<app::RoomService>(*db, *clock);
        docs = std::make_unique<app::RoomDocuments>(*db, *vault, *rooms,
                                                    app::DocumentSettings{3, 3600});
        db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
        // A video appointment starting in 5 minutes: its room is open (15 minutes before).
        appointment = add_appointment(agent, kWednesday + 300);
    }
    void TearDown() override {
        docs.reset();
        rooms.reset();
        vault.reset();
        DemoFixture::TearDown();
    }
    app::Room room() { return *rooms->by_appointment(org.org.id, appointment); }
    // A citizen in the room (admitted or waiting): their resume secret.
    std::string citizen(bool admitted) {
        auto r = room();
        auto e = rooms->enter(r, app::RoomRole::citizen, std::nullopt, std::nullopt);
        if (admitted) rooms->admit(r, e->participant.participant);
        return e->resume;
    }
    std::size_t files() {
        std::size_t n = 0;
        for ([[maybe_unused]] auto& f : fs::directory_iterator(dir / "docs")) ++n;
        return n;
    }
    std::size_t rows() {
        std::size_t n = 0;
        db->read([&](store::Session& s) { n = s.documents(org.org.id, appointment).size(); });
        return n;
    }
    void sql(const std::string& statement) {
        sqlite3* c = nullptr;
        ASSERT_EQ(sqlite3_open((dir / "t.db").c_str(), &c), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(c, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(c);
    }

    std::unique_ptr<store::Sealer> sealer;
    std::unique_ptr<store::DocumentVault> vault;
    std::unique_ptr<app::RoomService> rooms;
    std::unique_ptr<app::RoomDocuments> docs;
    core::Id agent = 0;
    core::Id appointment = 0;
};

const std::string kPdf = "%PDF-1.7 avis d'imposition MARKER-7f3a";

}  // namespace

TEST_F(RoomDocumentsTest, OnlyAnAdmittedCitizenInTheOpenRoomSendsAcceptedFiles) {
    using app::UploadOutcome;
    auto waiting = citizen(false);
    EXPECT_EQ(docs->upload(room(), waiting, "a.pdf", kPdf).outcome, UploadOutcome::not_admitted);
    EXPECT_EQ(docs->upload(room(), "", "a.pdf", kPdf).outcome, UploadOutcome::not_admitted);
    auto in = citizen(true);
    EXPECT_EQ(docs->upload(room(), in, "page.pdf", "<html><script>x</script>").outcome,
              UploadOutcome::wrong_type);
    EXPECT_EQ(docs->upload(room(), in, "big.pdf", "%PDF-" + std::string(10 << 20, 'x')).outcome,
              UploadOutcome::too_large);
    EXPECT_EQ(files(), 0u);
    EXPECT_EQ(rows(), 0u);

    std::vector<std::string> told;
    docs->on_added(
        [&](const store::RoomDocument& d, const std::string&) { told.push_back(d.name); });
    auto r = docs->upload(room(), in, "../Avis \"2026\".png.pdf", kPdf);
    ASSERT_EQ(r.outcome, UploadOutcome::stored);
    EXPECT_EQ(r.document.name, "Avis 2026.png.pdf");
    EXPECT_EQ(r.document.content_type, "application/pdf");
    EXPECT_EQ(told, std::vector<std::string>{"Avis 2026.png.pdf"});
    // Kept until the appointment's end plus the organisation's 7 days.
    EXPECT_EQ(r.document.delete_after, kWednesday + 300 + 30 * 60 + 7 * 86400);
    auto opened = docs->open(org.org.id, appointment, r.document.id);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->second, kPdf);
    EXPECT_FALSE(docs->open(org.org.id, appointment + 1, r.document.id));
    EXPECT_FALSE(docs->open(org.org.id + 1, appointment, r.document.id));
    // The journal says name and size, never the content.
    bool journalled = false;
    for (auto& e : rooms->journal(org.org.id, appointment))
        if (e.kind == "document") {
            journalled = true;
            EXPECT_NE(e.detail.find("\"size\":" + std::to_string(kPdf.size())), std::string::npos);
            EXPECT_EQ(e.detail.find("MARKER"), std::string::npos);
        }
    EXPECT_TRUE(journalled);

    // Three per room and hour (this test's setting): the fourth waits.
    EXPECT_EQ(docs->upload(room(), in, "b.pdf", kPdf).outcome, UploadOutcome::stored);
    EXPECT_EQ(docs->upload(room(), in, "c.pdf", kPdf).outcome, UploadOutcome::stored);
    auto limited = docs->upload(room(), in, "d.pdf", kPdf);
    EXPECT_EQ(limited.outcome, UploadOutcome::rate_limited);
    EXPECT_GT(limited.retry_after, 0);
    EXPECT_EQ(rows(), 3u);
    EXPECT_EQ(files(), 3u);

    // After the room's margin (30 minutes after the end): closed.
    clock->set(kWednesday + 300 + 30 * 60 + 30 * 60);
    EXPECT_EQ(docs->upload(room(), in, "e.pdf", kPdf).outcome, UploadOutcome::not_open);
}

TEST_F(RoomDocumentsTest, DeletedAfterTheOrganisationsPeriodAndRetriedWhenTheFileStays) {
    auto in = citizen(true);
    auto first = docs->upload(room(), in, "a.pdf", kPdf).document;
    auto second = docs->upload(room(), in, "b.pdf", kPdf).document;
    auto ends = kWednesday + 300 + 30 * 60;
    clock->set(ends + 7 * 86400 - 1);
    EXPECT_EQ(docs->delete_due(), 0);
    EXPECT_EQ(docs->list(org.org.id, appointment).size(), 2u);

    // The second file cannot be unlinked (a folder stands in its place): the first goes, the
    // second keeps its row and key and is tried again at the next run.
    fs::remove(dir / "docs" / second.file);
    fs::create_directories(dir / "docs" / second.file / "x");
    clock->set(ends + 7 * 86400);
    EXPECT_EQ(docs->delete_due(), 1);
    EXPECT_FALSE(fs::exists(dir / "docs" / first.file));
    db->read([&](store::Session& s) {
        auto gone = s.document(org.org.id, first.id);
        EXPECT_EQ(gone->sealed_key, "");
        EXPECT_EQ(gone->deleted_at, ends + 7 * 86400);
        EXPECT_FALSE(s.document(org.org.id, second.id)->deleted_at);
    });
    EXPECT_FALSE(docs->open(org.org.id, appointment, first.id));
    ASSERT_EQ(docs->list(org.org.id, appointment).size(), 1u);

    fs::remove_all(dir / "docs" / second.file);
    clock->set(ends + 8 * 86400);
    EXPECT_EQ(docs->delete_due(), 1);
    EXPECT_TRUE(docs->list(org.org.id, appointment).empty());
    EXPECT_EQ(docs->delete_due(), 0);
}

TEST_F(RoomDocumentsTest, AShortenedPeriodAppliesToDocumentsAlreadyKept) {
    auto in = citizen(true);
    auto d = docs->upload(room(), in, "a.pdf", kPdf).document;
    auto ends = kWednesday + 300 + 30 * 60;
    clock->set(ends + 2 * 86400);
    EXPECT_EQ(docs->delete_due(), 0);
    sql("UPDATE organisations SET document_retention_days = 1");
    EXPECT_EQ(docs->delete_due(), 1);
    EXPECT_FALSE(fs::exists(dir / "docs" / d.file));
}
