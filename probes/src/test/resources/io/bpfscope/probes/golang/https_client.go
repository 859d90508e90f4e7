// A Go HTTPS client for the tests: GETs URL COUNT times (net/http, crypto/tls,
// any certificate accepted), prints each response body, then "done ok=N failed=M".
// With COUNT > 1 the paths are URL-0, URL-1... With GO_CLIENT_WAIT set it prints
// "ready" and waits for a line on stdin first (a probe attaches meanwhile); with
// GO_CLIENT_DELAY_MS it sleeps that long first.
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
