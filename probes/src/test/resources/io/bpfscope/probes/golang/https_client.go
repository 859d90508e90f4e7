// A Go HTTPS client for the tests: GETs URL COUNT times (net/http, crypto/tls,
// any certificate accepted), prints each response body, then "done ok=N failed=M".
// With COUNT > 1 the paths are URL-0, URL-1... With GO_CLIENT_WAIT set it prints
// "ready" and waits for a line on stdin first (a probe attaches meanwhile); with
// GO_CLIENT_DELAY_MS it sleeps that long first. With GO_CLIENT_RAW set it speaks
// HTTP/1.0 itself over tls.Dial, calling Write and Read at the bottom of a
// recursion of varying depth, so that the goroutine's stack often has to grow
// (and move) inside them: what kills a Go program under uretprobes.
package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	url := os.Args[1]
	count, _ := strconv.Atoi(os.Args[2])
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if os.Getenv("GO_CLIENT_WAIT") != "" {
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	if delay, err := strconv.Atoi(os.Getenv("GO_CLIENT_DELAY_MS")); err == nil {
		time.Sleep(time.Duration(delay) * time.Millisecond)
	}
	ok, failed := 0, 0
	if os.Getenv("GO_CLIENT_RAW") != "" {
		for i := 0; i < count; i++ {
			target := url
			if count > 1 {
				target = url + "-" + strconv.Itoa(i)
			}
			if body, err := deep(i%400, func() (string, error) { return rawGet(target) }); err != nil || !strings.Contains(body, "reply:") {
				fmt.Println("error", err)
				failed++
			} else {
				ok++
			}
		}
		fmt.Printf("done ok=%d failed=%d\n", ok, failed)
		return
	}
	for i := 0; i < count; i++ {
		target := url
		if count > 1 {
			target = url + "-" + strconv.Itoa(i)
		}
		resp, err := client.Get(target)
		if err != nil {
			fmt.Println("error", err)
			failed++
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !strings.HasPrefix(string(body), "reply:") {
			fmt.Println("bad reply", err)
			failed++
			continue
		}
		fmt.Print(string(body))
		ok++
	}
	fmt.Printf("done ok=%d failed=%d\n", ok, failed)
}

// deep calls f under depth frames of about 100 bytes each.
//
//go:noinline
func deep(depth int, f func() (string, error)) (string, error) {
	var pad [64]byte
	if depth == 0 {
		return f()
	}
	pad[depth%64] = byte(depth)
	body, err := deep(depth-1, f)
	return body + string(pad[:0]), err
}

// rawGet: GET over a fresh TLS connection; the server closes it after its reply.
func rawGet(url string) (string, error) {
	rest := strings.TrimPrefix(url, "https://")
	slash := strings.Index(rest, "/")
	conn, err := tls.Dial("tcp", rest[:slash], &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET " + rest[slash:] + " HTTP/1.0\r\nHost: x\r\n\r\n")); err != nil {
		return "", err
	}
	reply, err := io.ReadAll(conn)
	return string(reply), err
}
