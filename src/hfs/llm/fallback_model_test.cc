#include "hfs/llm/fallback_model.h"

#include <gtest/gtest.h>

#include "hfs/testing/scripted_model.h"

namespace hfs::llm {
namespace {

class FallbackModelTest : public ::testing::Test {
 protected:
  FallbackModel Make() {
    return FallbackModel(
        {{.provider = "cerebras", .model = "llama-3.3-70b", .client = &first_},
         {.provider = "groq", .model = "llama-3.3-70b-versatile", .client = &second_}});
  }
  ChatRequest request_{.model = "ignored", .messages = {Message::User("hi")}};
  testing::ScriptedModel first_;
  testing::ScriptedModel second_;
};

TEST_F(FallbackModelTest, FirstCandidateAnswers) {
  first_.Push(ChatResponse{.content = "from cerebras"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->provider, "cerebras");
  EXPECT_EQ(reply->model, "llama-3.3-70b");
  EXPECT_EQ(first_.requests()[0].model, "llama-3.3-70b");
  EXPECT_EQ(second_.requests().size(), 0u);
}

TEST_F(FallbackModelTest, MovesOnWhenAProviderCannotAnswer) {
  first_.Push(Error{ErrorCode::kResourceExhausted, "all keys cooling down"});
  second_.Push(ChatResponse{.model = "llama-3.3-70b-versatile", .content = "from groq"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  EXPECT_EQ(second_.requests()[0].model, "llama-3.3-70b-versatile");
}

TEST_F(FallbackModelTest, AFirstPassWaitsBrieflyForKeysThenASecondWaitsInOrder) {
  first_.Push(Error{ErrorCode::kResourceExhausted, "all cerebras keys cooling"});
  second_.Push(Error{ErrorCode::kResourceExhausted, "all groq keys cooling"});
  first_.Push(ChatResponse{.content = "from cerebras, after the wait"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "cerebras");
  ASSERT_EQ(first_.contexts().size(), 2u);
  EXPECT_EQ(first_.contexts()[0].key_wait, kDefaultFallbackKeyWait);
  EXPECT_EQ(second_.contexts()[0].key_wait, kDefaultFallbackKeyWait);
  EXPECT_EQ(first_.contexts()[1].key_wait, Duration::max());
}

TEST_F(FallbackModelTest, NoSecondPassWhenAProviderFailedForAnotherReason) {
  first_.Push(Error{ErrorCode::kResourceExhausted, "all cerebras keys cooling"});
  second_.Push(Error{ErrorCode::kUnavailable, "groq is down"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(first_.requests().size(), 1u);
  EXPECT_NE(reply.error().message.find("groq is down"), std::string::npos);
}

TEST_F(FallbackModelTest, InvalidRequestsAreNotRetriedElsewhere) {
  first_.Push(Error{ErrorCode::kInvalidArgument, "bad schema"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(second_.requests().size(), 0u);
}

TEST_F(FallbackModelTest, NeverFallsBackAfterAStreamedDelta) {
  first_.Push(Error{ErrorCode::kUnavailable, "reset"}, {{.content = "Hel"}});
  FallbackModel model = Make();
  std::string seen;
  Result<ChatResponse> reply =
      model.Stream(request_, {}, [&](const ChatDelta& delta) { seen += delta.content; });
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(seen, "Hel");
  EXPECT_EQ(second_.requests().size(), 0u);
}

TEST_F(FallbackModelTest, StreamFallsBackBeforeTheFirstDelta) {
  first_.Push(Error{ErrorCode::kUnavailable, "down"});
  second_.Push(ChatResponse{.content = "ok"}, {{.content = "o"}, {.content = "k"}});
  FallbackModel model = Make();
  std::string seen;
  Result<ChatResponse> reply =
      model.Stream(request_, {}, [&](const ChatDelta& delta) { seen += delta.content; });
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(seen, "ok");
}

TEST_F(FallbackModelTest, EveryFailureIsReported) {
  first_.Push(Error{ErrorCode::kUnavailable, "503 from cerebras"});
  second_.Push(Error{ErrorCode::kResourceExhausted, "groq keys busy"});
  FallbackModel model = Make();
  Result<ChatResponse> reply = model.Complete(request_, {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(reply.error().message.find("cerebras/llama-3.3-70b: 503 from cerebras"),
            std::string::npos);
  EXPECT_NE(reply.error().message.find("groq keys busy"), std::string::npos);
  EXPECT_EQ(FallbackModel({}).Complete(request_, {}).error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hfs::llm
