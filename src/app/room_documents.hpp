// Documents a citizen sends during a call (issue 13; docs/VIDEO.md, "Documents"): the rules of
// the upload (the room open, the sender admitted, 10 MiB, PDF/PNG/JPEG by content, a rate per
// room), the holding agent's download, and the deletion after the organisation's period. The
// bytes live encrypted in the store::DocumentVault; the rows, the journal and the keys in the
// store. Never sees HTTP.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/rate_limit.hpp"
#include "app/room_service.hpp"
#include "store/document_vault.hpp"

namespace vg::app {

inline constexpr std::size_t kMaxDocumentBytes = 10 * 1024 * 1024;  // "10 Mo" in the texts

enum class UploadOutcome {
    stored,
    not_open,      // outside the room's window (403)
    not_admitted,  // the sender is not an admitted participant of the room (403)
    too_large,     // more than kMaxDocumentBytes (413)
    empty,         // no file (422)
    wrong_type,    // not PDF, PNG or JPEG by its first bytes (415)
    rate_limited,  // too many documents for this room lately (429)
};

struct UploadResult {
    UploadOutcome outcome = UploadOutcome::stored;
    store::RoomDocument document;  // when stored (without its key)
    long long retry_after = 0;     // seconds, when rate_limited
};

struct DocumentSettings {
    int per_room = 20;  // documents per room and window (0: no limit)
    std::int64_t window_seconds = 3600;
};

class RoomDocuments {
  public:
    RoomDocuments(store::Store& store, const store::DocumentVault& vault, RoomService& rooms,
                  DocumentSettings settings = {});

    // A document sent by the participant whose resume secret this is (its welcome's), in a
    // room open now. Stored encrypted with its row and journal line ("document": name, size,
    // type; never the content) in one go; on any failure nothing stays (no file, no row).
    UploadResult upload(const Room& room, const std::string& resume_secret,
                        const std::string& sent_name, const std::string& data);

    // The documents of an appointment of the organisation, not deleted, oldest first.
    std::vector<store::RoomDocument> list(Id organisation_id, Id appointment_id);
    // A document of that appointment of the organisation and its bytes; nullopt when it is
    // not of them, deleted, or its file is missing or altered.
    std::optional<std::pair<store::RoomDocument, std::string>> open(Id organisation_id,
                                                                    Id appointment_id, Id id);

    // Deletes every document past its time (store::Session::documents_due): the file, then the
    // row's key (mark_document_deleted). A file whose unlink fails keeps its row as it is, so
    // the next run tries again. Returns how many were deleted.
    int delete_due();

    // Called after a document was stored (the hub tells the room's participants).
    void on_added(std::function<void(const store::RoomDocument&, const std::string& sender)> f) {
        on_added_ = std::move(f);
    }

    // The vault binding of a document's file: the file cannot be served for another
    // appointment's row.
    static std::string binding(const store::RoomDocument& d);

  private:
    store::Store& store_;
    const store::DocumentVault& vault_;
    RoomService& rooms_;
    RateLimiter limiter_;
    std::function<void(const store::RoomDocument&, const std::string&)> on_added_;
};

}  // namespace vg::app
