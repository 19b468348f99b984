// The demo fixture with the room's service over it: what the room and room-rules unit tests
// start from.
#pragma once

#include <memory>

#include "app/room_service.hpp"
#include "demo_fixture.hpp"

namespace vg::unit {

class RoomFixture : public DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        rooms = std::make_unique<app::RoomService>(*db, *clock);
    }
    void TearDown() override {
        rooms.reset();
        DemoFixture::TearDown();
    }

    std::unique_ptr<app::RoomService> rooms;
};

}  // namespace vg::unit
