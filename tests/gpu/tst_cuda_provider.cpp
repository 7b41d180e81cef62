// The CUDA provider in the device registry: on a machine without a CUDA device or driver (CI) it
// lists nothing, `cuda` falls back to the CPU with the reason, and opening the backend is a
// DeviceError, never a crash; with a device, the listing and the backend show its name and memory.
#include "backend/registry.h"
#include "cuda_backend.h"
#include "cuda_provider.h"
#include "error.h"
#include "test_support.h"

#include <QtTest>
#include <cuda_runtime_api.h>

using namespace nnstudio;

class TstCudaProvider : public QObject {
    Q_OBJECT

    int m_devices = 0;

private slots:
    void initTestCase() {
        if (cudaGetDeviceCount(&m_devices) != cudaSuccess) m_devices = 0;
        gpu::register_cuda_provider();
        gpu::register_cuda_provider();  // idempotent per kind
    }

    void lists_what_the_driver_reports() {
        const std::vector<DeviceInfo> devices = available_devices();
        QVERIFY(!devices.empty());
        QVERIFY(devices.front().device.is_cpu());
        QCOMPARE(static_cast<int>(devices.size()), 1 + m_devices);
        for (size_t i = 1; i < devices.size(); ++i) {
            QVERIFY(devices[i].device == Device::cuda(static_cast<int>(i - 1)));
            QVERIFY(!devices[i].name.empty());
            QVERIFY(devices[i].total_memory > 0);
        }
    }

    void cuda_without_a_device_falls_back_to_the_cpu() {
        if (m_devices > 0) QSKIP("this machine has a CUDA device");
        std::string message;
        Backend& b = backend_or_cpu("cuda", message);
        QVERIFY(b.device().is_cpu());
        QVERIFY2(message.find("cuda:0") != std::string::npos, message.c_str());
        QVERIFY2(message.find("CPU") != std::string::npos, message.c_str());
    }

    void opening_a_missing_device_throws() {
        NN_EXPECT_ERROR(DeviceError, gpu::CudaBackend(m_devices), "cuda:" + QString::number(m_devices));
    }

    void a_device_shows_its_name_and_memory() {
        if (m_devices == 0) QSKIP("no CUDA device");
        std::string message;
        Backend& b = backend_or_cpu("cuda:0", message);
        QVERIFY2(message.empty(), message.c_str());  // it also passed its self-check
        const DeviceInfo info = b.info();
        QVERIFY(info.device == Device::cuda(0));
        QVERIFY(!info.name.empty());
        QVERIFY(info.total_memory > 0 && info.free_memory > 0 && info.free_memory <= info.total_memory);
    }
};

QTEST_GUILESS_MAIN(TstCudaProvider)
#include "tst_cuda_provider.moc"
