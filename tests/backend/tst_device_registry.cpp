// Devices and the registry: torch.device spellings, the CPU always listed first, a clear error and
// a CPU fallback for a device this process cannot use; the CPU backend's thread option and the
// per-thread default backend; Tensor storage (64-byte aligned, capacity kept, host access).
#include "backend/cpu/cpu_backend.h"
#include "backend/registry.h"
#include "error.h"
#include "nn/linear.h"
#include "test_support.h"

#include <QtTest>
#include <cstdint>

using namespace nnstudio;

namespace {

bool has_device(const Device& d) {
    for (const DeviceInfo& info : available_devices())
        if (info.device == d && info.usable) return true;
    return false;
}

}  // namespace

class TestDeviceRegistry : public QObject {
    Q_OBJECT
private slots:
    void devices_parse_and_print_as_torch_device() {
        QCOMPARE(Device::parse("cpu").str(), std::string("cpu"));
        QCOMPARE(Device::parse("cuda").str(), std::string("cuda:0"));
        QCOMPARE(Device::parse("cuda:3"), Device::cuda(3));
        for (const char* bad : {"", "gpu", "cuda:", "cuda:x", "cuda:-1", "CPU", "cuda:12345"}) {
            const QString e = test::error_of<DeviceError>([&] { Device::parse(bad); });
            QVERIFY2(e.contains("cpu, cuda or cuda:N"), qPrintable(QString(bad) + ": " + e));
        }
    }

    void the_cpu_is_always_listed_first_with_its_memory() {
        const std::vector<DeviceInfo> devices = available_devices();
        QVERIFY(!devices.empty());
        QCOMPARE(devices.front().device, Device::cpu());
        QVERIFY(devices.front().usable);
        QVERIFY(devices.front().total_memory > 0);
        QVERIFY(devices.front().name.rfind("CPU (", 0) == 0);
        QCOMPARE(&backend_for(Device::cpu()), &cpu_backend());
    }

    void an_unusable_device_is_an_error_or_a_fallback_with_the_reason() {
        const Device missing = Device::cuda(97);  // no machine has 98 GPUs
        QVERIFY(!has_device(missing));
        const QString e = test::error_of<DeviceError>([&] { backend_for(missing); });
        QVERIFY2(e.startsWith("cuda:97 "), qPrintable(e));
        std::string message;
        Backend& b = backend_or_cpu("cuda:97", message);
        QCOMPARE(&b, &cpu_backend());
        QVERIFY2(message.find("cuda:97") != std::string::npos && message.find("on the CPU instead") != std::string::npos,
                 message.c_str());
        QVERIFY(test::error_of<DeviceError>([&] { backend_or_cpu("tpu", message); }).contains("cpu, cuda or cuda:N"));
        QCOMPARE(&backend_or_cpu("cpu", message), &cpu_backend());
        QVERIFY(message.empty());
    }

    void a_cpu_backend_has_its_own_thread_count() {
        CpuBackend one({.threads = 1});
        QCOMPARE(one.threads(), 1);
        QVERIFY(one.supports(Op::Gemm, ComputeType::Float32));
        QVERIFY(!one.supports(Op::Gemm, ComputeType::Float64));
        CpuBackend all;
        QVERIFY(all.threads() >= 1);
        QCOMPARE(CpuBackend({.threads = 100000}).threads(), all.threads());  // capped at the cores
    }

    void modules_start_on_the_threads_default_backend_and_move_with_to() {
        CpuBackend mine({.threads = 1});
        {
            const ScopedDefaultBackend scope(mine);
            QCOMPARE(&default_backend(), static_cast<Backend*>(&mine));
            nn::Linear fc(3, 2);
            QCOMPARE(&fc.backend(), static_cast<Backend*>(&mine));
            fc.to(cpu_backend());
            QCOMPARE(&fc.backend(), &cpu_backend());
        }
        QCOMPARE(&default_backend(), &cpu_backend());
    }

    void tensor_storage_is_aligned_and_reused() {
        Tensor t({3, 5}, 1.5f);
        QCOMPARE(reinterpret_cast<uintptr_t>(t.data()) % 64, uintptr_t{0});
        QCOMPARE(t.device(), Device::cpu());
        const float* storage = t.data();
        t.resize({2, 5});  // smaller: the same storage, the kept prefix unchanged
        QCOMPARE(t.data(), storage);
        QCOMPARE(t[9], 1.5f);
        t.resize({3, 5});  // back within the capacity: still no allocation; new elements are 0
        QCOMPARE(t.data(), storage);
        QCOMPARE(t[14], 0.0f);
        const Tensor copy = t.to(Device::cpu());
        QVERIFY(copy.data() != t.data());
        QCOMPARE(copy.to_vector(), t.to_vector());
        Tensor target;
        target.copy_from(t);
        QCOMPARE(target.shape(), t.shape());
        QCOMPARE(target.to_vector(), t.to_vector());
    }
};

QTEST_GUILESS_MAIN(TestDeviceRegistry)
#include "tst_device_registry.moc"
