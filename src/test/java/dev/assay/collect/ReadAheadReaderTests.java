package dev.assay.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemReader;

class ReadAheadReaderTests {

    @Test
    void theStepReadsTheSourceItemsInOrderThenTheEndOnceAndRunsTheEndActionOnItsOwnThread() throws Exception {
        AtomicInteger next = new AtomicInteger();
        ItemReader<Integer> source = () -> next.get() < 1_000 ? next.getAndIncrement() : null;
        AtomicReference<String> endThread = new AtomicReference<>();
        AtomicInteger ends = new AtomicInteger();
        ReadAheadReader<Integer> reader = new ReadAheadReader<>(source, () -> {
            ends.incrementAndGet();
            endThread.set(Thread.currentThread().getName());
        }, 10, "read-ahead-test");
        reader.open(new ExecutionContext());
        List<Integer> read = new ArrayList<>();
        for (Integer item = reader.read(); item != null; item = reader.read()) {
            read.add(item);
        }
        assertThat(read).hasSize(1_000).isSorted().startsWith(0, 1, 2).endsWith(998, 999);
        assertThat(reader.read()).isNull();
        assertThat(ends).hasValue(1);
        assertThat(endThread.get()).isEqualTo(Thread.currentThread().getName());
        reader.close();
    }

    @Test
    void aSourceFailureReachesTheStepAfterTheItemsReadBeforeItAsTheSameExceptionAndTheEndActionDoesNotRun() throws Exception {
        AtomicInteger next = new AtomicInteger();
        IllegalStateException broken = new IllegalStateException("page 3 is not valid JSON");
        ItemReader<Integer> source = () -> {
            if (next.get() == 3) {
                throw broken;
            }
            return next.getAndIncrement();
        };
        AtomicInteger ends = new AtomicInteger();
        ReadAheadReader<Integer> reader = new ReadAheadReader<>(source, ends::incrementAndGet, 2, "read-ahead-test");
        assertThat(reader.read()).isZero();
        assertThat(reader.read()).isEqualTo(1);
        assertThat(reader.read()).isEqualTo(2);
        assertThatThrownBy(reader::read).isSameAs(broken);
        assertThat(reader.read()).isNull();
        assertThat(ends).hasValue(0);
        reader.close();
    }

    @Test
    void readsAtMostItsCapacityAheadOfTheStep() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        ItemReader<Integer> source = produced::getAndIncrement;
        ReadAheadReader<Integer> reader = new ReadAheadReader<>(source, () -> { }, 5, "read-ahead-test");
        assertThat(reader.read()).isZero();
        Thread.sleep(300);
        // the step took 1; 5 wait in the queue; the 7th is read and waits for room
        assertThat(produced.get()).isEqualTo(7);
        reader.close();
    }

    @Test
    void closingStopsTheReadAheadThreadEvenWhenTheStepStoppedReadingHalfWay() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        ItemReader<Integer> source = new ItemReader<>() {
            private int next;

            @Override
            public Integer read() {
                return next++;
            }
        };
        ReadAheadReader<Integer> reader = new ReadAheadReader<>(source, () -> { }, 3, "read-ahead-close-test");
        reader.read();
        Thread readAhead = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("read-ahead-close-test")).findFirst().orElseThrow();
        new Thread(() -> {
            try {
                readAhead.join();
                stopped.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        reader.close();
        assertThat(stopped.await(5, TimeUnit.SECONDS)).as("the read-ahead thread ended").isTrue();
    }
}
