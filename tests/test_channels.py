"""The kernel client's channels (rnngrader/channels.py): a send never hides a reply from a wait on the same socket.

The race, as nbclient meets it at a widget cell: a task waits on the shell socket for a reply while another task
sends on that socket (an Output widget's update). With jupyter_client's own channel about one wait in thirty to
a hundred missed a reply that arrived during such a send and slept until its time-out (measured with the script
this test is made from: 13 and 37 of 1000 rounds); with rnngrader's channel none may.
"""
import asyncio
import random
import threading
import time

import zmq
import zmq.asyncio
from jupyter_client.session import Session

from rnngrader.channels import Channel

ROUNDS = 300
TIMEOUT = 0.5          # seconds a wait may take before it counts as a missed wake-up (a reply takes ~2 ms)


def _server(session, address, ready):
    """A ROUTER that answers every "request" after up to 2 ms and ignores "noise"."""
    socket = zmq.Context.instance().socket(zmq.ROUTER)
    address.append(f"tcp://127.0.0.1:{socket.bind_to_random_port('tcp://127.0.0.1')}")
    ready.set()
    while True:
        identities, msg = session.recv(socket, mode=0)
        if msg["msg_type"] == "stop":
            socket.close(linger=0)
            return
        if msg["msg_type"] == "request":
            time.sleep(random.random() * 0.002)
            session.send(socket, "reply", {}, parent=msg, ident=identities)


async def _late_replies():
    session, address, ready = Session(key=b""), [], threading.Event()
    server = threading.Thread(target=_server, args=(session, address, ready), daemon=True)
    server.start()
    ready.wait()
    context = zmq.asyncio.Context()
    socket = context.socket(zmq.DEALER)
    socket.connect(address[0])
    channel = Channel(socket, session)
    late = []
    try:
        for k in range(ROUNDS):
            channel.send(session.msg("request", {}))

            async def noise():
                for _ in range(3):
                    await asyncio.sleep(random.random() * 0.001)
                    channel.send(session.msg("noise", {"data": "x" * 100}))

            sender = asyncio.ensure_future(noise())
            started = time.monotonic()
            reply = await channel.get_msg(timeout=TIMEOUT)
            await sender
            if time.monotonic() - started > TIMEOUT * 0.9:
                late.append(k)
            assert reply["msg_type"] == "reply"
        channel.send(session.msg("stop", {}))
    finally:
        server.join(5)
        socket.close(linger=0)
        context.term()
    return late


def test_a_send_during_a_wait_never_hides_the_reply():
    late = asyncio.run(_late_replies())
    assert not late, f"{len(late)} of {ROUNDS} waits slept until their time-out with the reply in the socket"
