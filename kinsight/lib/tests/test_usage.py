import pyarrow
import pyarrow.compute

from kinsight.lib.usage import peak_mib, release_free_memory, resident_mib


def test_handing_back_free_memory_keeps_every_live_object():
    lists = [list(range(1000)) for _ in range(100)]
    array = pyarrow.array(range(10_000))
    freed = [bytes(100_000) for _ in range(100)]
    del freed
    release_free_memory()
    assert sum(map(sum, lists)) == 100 * 499_500
    assert pyarrow.compute.sum(array).as_py() == 49_995_000


def test_resident_memory_is_never_above_the_peak():
    assert 0 < resident_mib() <= peak_mib() + 1
