// Package api holds the wire types of the exchange service REST API: the
// JSON bodies and error codes shared by the server (oots/exchange) and the
// Go SDK (client), with no dependency on either.
package api

import "github.com/vienreiz/vienreiz/oots/catalogue"

// ServiceList is the body of GET /v1/services.
type ServiceList struct {
	Services []catalogue.Service `json:"services"`
	Count    int                 `json:"count"`
}

// Health is the body of GET /v1/health.
type Health struct {
	Status   string `json:"status"`
	Database string `json:"database"`
}

// Error is the JSON body of every error answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody wraps Error as {"error": {...}}.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error codes of the REST API.
const (
	CodeBadRequest = "bad_request"
	CodeNotFound   = "not_found"
	CodeInternal   = "internal"
)
