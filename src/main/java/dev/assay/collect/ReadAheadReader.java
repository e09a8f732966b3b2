package dev.assay.collect;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the items of a collector's reader on a thread of its own, up to {@code capacity} items
 * ahead of the step, so that the upstream's requests and their parsing overlap with the step's
 * mapping and writing instead of taking turns with them.
 * <p>
 * The step sees exactly what the source reader gives, in the same order: its items, then its end
 * (null) or its failure, rethrown as the same exception at the same position. What must happen
 * in the step's last chunk transaction at the end of the input (advancing a watermark that says
 * how far the run read) is the {@code atEnd} action: it runs on the step's thread when the step
 * reads the end, never on the read-ahead thread. The source reader is used by the read-ahead thread
 * only; it may read the database (outside the chunk's transaction) but must not write to it except
 * in transactions of its own (quarantine rows).
 * <p>
 * {@link #close()} (the step's end, whatever its outcome) stops the read-ahead thread. Not final: the
 * step scope proxies it.
 */
public class ReadAheadReader<T> implements ItemStreamReader<T> {

    private static final Object END = new Object();

    /** A failure of the source reader, handed to the step in place of the item it could not read. */
    private record Failure(RuntimeException exception) {
    }

    private final ItemReader<T> source;
    private final Runnable atEnd;
    private final String threadName;
    private final BlockingQueue<Object> queue;
    private Thread thread;
    private volatile boolean closed;
    private boolean ended;

    /**
     * @param source     the collector's reader
     * @param atEnd      runs on the step's thread, in its transaction, when the step reads the end
     * @param capacity   items read ahead at most (a page or two of the upstream)
     * @param threadName names the read-ahead thread in thread dumps and logs, e.g. {@code read-ahead-pd}
     */
    public ReadAheadReader(ItemReader<T> source, Runnable atEnd, int capacity, String threadName) {
        this.source = source;
        this.atEnd = atEnd;
        this.threadName = threadName;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        start();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read() throws Exception {
        if (ended) {
            return null;
        }
        start();
        Object next = queue.take();
        if (next == END) {
            ended = true;
            atEnd.run();
            return null;
        }
        if (next instanceof Failure failure) {
            ended = true;
            throw failure.exception();
        }
        return (T) next;
    }

    @Override
    public void close() throws ItemStreamException {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        queue.clear();
    }

    private void start() {
        if (thread == null) {
            thread = new Thread(this::readAll, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void readAll() {
        try {
            while (!closed) {
                T item = source.read();
                if (!hand(item == null ? END : item) || item == null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            hand(new Failure(e));
        } catch (Exception e) {
            hand(new Failure(new IllegalStateException(e.getMessage(), e)));
        }
    }

    /** Waits for room in the queue; false once the reader is closed. */
    private boolean hand(Object next) {
        try {
            while (!closed) {
                if (queue.offer(next, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
