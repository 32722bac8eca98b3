// hfs/base/thread_annotations.h
//
// Clang thread-safety annotations (-Wthread-safety). They expand to nothing on other
// compilers, where the attributes would only produce warnings.
//
//   Mutex mu_;
//   int count_ HFS_GUARDED_BY(mu_);
#pragma once

#if defined(__clang__)
#define HFS_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define HFS_THREAD_ANNOTATION(x)
#endif

#define HFS_CAPABILITY(x) HFS_THREAD_ANNOTATION(capability(x))
#define HFS_SCOPED_CAPABILITY HFS_THREAD_ANNOTATION(scoped_lockable)
#define HFS_GUARDED_BY(x) HFS_THREAD_ANNOTATION(guarded_by(x))
#define HFS_PT_GUARDED_BY(x) HFS_THREAD_ANNOTATION(pt_guarded_by(x))
#define HFS_REQUIRES(...) HFS_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define HFS_ACQUIRE(...) HFS_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define HFS_RELEASE(...) HFS_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define HFS_EXCLUDES(...) HFS_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define HFS_NO_THREAD_SAFETY_ANALYSIS HFS_THREAD_ANNOTATION(no_thread_safety_analysis)
