#include "hfs/agent/agent.h"

#include <gtest/gtest.h>

#include "hfs/testing/scripted_model.h"

namespace hfs::agent {
namespace {

TEST(RoleModelsTest, RoleModelThenDefaultThenNotFound) {
  testing::ScriptedModel code;
  testing::ScriptedModel general;
  RoleModels with_default({{"code_execution", {.model = &code, .model_id = "fast-coder"}}},
                          ModelChoice{.model = &general, .model_id = "general"});
  Result<ModelChoice> coder =
      with_default.Resolve({.role = "code_execution", .phase = "execution"});
  ASSERT_TRUE(coder);
  EXPECT_EQ(coder->model, &code);
  EXPECT_EQ(coder->model_id, "fast-coder");
  EXPECT_EQ(with_default.Resolve({.role = "critic", .phase = "negotiation"})->model_id, "general");

  RoleModels strict({{"critic", {.model = &general, .model_id = "g"}}});
  Result<ModelChoice> missing = strict.Resolve({.role = "arbiter", .phase = "negotiation"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "no model is configured for role 'arbiter' in phase 'negotiation'");
}

}  // namespace
}  // namespace hfs::agent
