#include "app/room_documents.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/document_type.hpp"

namespace vg::app {

RoomDocuments::RoomDocuments(store::Store& store, const store::DocumentVault& vault,
                             RoomService& rooms, DocumentSettings settings)
    : store_(store),
      vault_(vault),
      rooms_(rooms),
      limiter_(settings.per_room, settings.window_seconds, 100000) {}

std::string RoomDocuments::binding(const store::RoomDocument& d) {
    return "document:" + std::to_string(d.organisation_id) + ":" + std::to_string(d.appointment_id);
}

UploadResult RoomDocuments::upload(const Room& room, const std::string& resume_secret,
                                   const std::string& sent_name, const std::string& data) {
    UploadResult r;
    auto now = rooms_.clock().now();
    if (room.window != RoomWindow::open) return {UploadOutcome::not_open, {}, 0};
    auto sender = rooms_.resume(room, RoomRole::citizen, resume_secret);
    if (!sender || !sender->participant.admitted_at) return {UploadOutcome::not_admitted, {}, 0};
    if (data.size() > kMaxDocumentBytes) return {UploadOutcome::too_large, {}, 0};
    if (data.empty()) return {UploadOutcome::empty, {}, 0};
    auto type = core::sniff_document(data);
    if (!type) return {UploadOutcome::wrong_type, {}, 0};
    // Counts what would be stored: refused files cost nothing.
    auto key = std::to_string(room.appointment.id);
    if (!limiter_.allow(key, now))
        return {UploadOutcome::rate_limited, {}, limiter_.retry_after(key, now)};

    auto& d = r.document;
    d.organisation_id = room.appointment.organisation_id;
    d.appointment_id = room.appointment.id;
    d.sender = "citizen";
    d.name = core::download_name(sent_name, *type);
    d.content_type = std::string(core::mime_type(*type));
    d.size = std::int64_t(data.size());
    d.created_at = now;
    auto stored = vault_.put(data, binding(d));
    d.file = stored.file;
    try {
        store_.write([&](store::Session& s) {
            auto org = s.organisation_by_id(d.organisation_id);
            auto days = org ? org->document_retention_days : store::Organisation{}.document_retention_days;
            d.delete_after = room.appointment.ends_at + std::int64_t(days) * 86400;
            d.sealed_key = stored.sealed_key;
            d.id = s.insert_document(d);
            s.add_room_event(
                {0, d.appointment_id, d.organisation_id, 0, "citizen",
                 sender->participant.participant, "document",
                 nlohmann::json{
                     {"id", d.id}, {"name", d.name}, {"size", d.size}, {"type", d.content_type}}
                     .dump()});
        });
    } catch (...) {
        vault_.remove(stored.file);  // no row: no file either
        throw;
    }
    d.sealed_key.clear();
    if (on_added_) on_added_(d, sender->participant.participant);
    return r;
}

std::vector<store::RoomDocument> RoomDocuments::list(Id organisation_id, Id appointment_id) {
    std::vector<store::RoomDocument> out;
    store_.read([&](store::Session& s) {
        for (auto& d : s.documents(organisation_id, appointment_id))
            if (!d.deleted_at) out.push_back(std::move(d));
    });
    return out;
}

std::optional<std::pair<store::RoomDocument, std::string>> RoomDocuments::open(Id organisation_id,
                                                                               Id appointment_id,
                                                                               Id id) {
    std::optional<store::RoomDocument> d;
    store_.read([&](store::Session& s) { d = s.document(organisation_id, id); });
    if (!d || d->appointment_id != appointment_id || d->deleted_at) return std::nullopt;
    auto bytes = vault_.get({d->file, d->sealed_key}, binding(*d));
    if (!bytes) {
        spdlog::warn("document {} of appointment {}: its file is missing or unreadable", d->id,
                     appointment_id);
        return std::nullopt;
    }
    return std::make_pair(*d, std::move(*bytes));
}

int RoomDocuments::delete_due() {
    constexpr int kBatch = 100;
    int deleted = 0;
    for (;;) {
        auto now = rooms_.clock().now();
        std::vector<store::RoomDocument> due;
        store_.read([&](store::Session& s) { due = s.documents_due(now, kBatch); });
        int done = 0;
        for (auto& d : due) {
            if (!vault_.remove(d.file)) {
                spdlog::warn("document {}: cannot remove its file {} (tried again next run)", d.id,
                             d.file);
                continue;
            }
            store_.write([&](store::Session& s) {
                if (s.mark_document_deleted(d.organisation_id, d.id, now)) ++done;
            });
        }
        deleted += done;
        // A short batch is the last; a batch where nothing could be deleted stops the run
        // (its files are tried again next time) rather than looping on them.
        if (int(due.size()) < kBatch || done == 0) break;
    }
    return deleted;
}

}  // namespace vg::app
